"""
network.py
~~~~~~~~~~

A feedforward neural network trained by mini-batch stochastic gradient
descent, with gradients computed by backpropagation.  It keeps the public
API of Michael Nielsen's ``network.py`` (``Network(sizes)``, ``feedforward``,
``SGD``, ``update_mini_batch``, ``backprop``, ``evaluate``,
``cost_derivative``) and adds the extras of his ``network2.py``: the
cross-entropy cost, L2 regularization, scaled weight initialization, a
seedable random number generator and a float32 option.

Inputs are columns: one sample is a (784, 1) array, a mini-batch of ``m``
samples is a (784, m) array.  The fast path (``update_batch``) pushes the
whole mini-batch through each layer as one matrix product; ``backprop`` keeps
the readable per-sample algorithm as the reference.

This module uses only the standard library and NumPy.
"""

import time

import numpy as np


#### Miscellaneous functions
def sigmoid(z):
    """Return the sigmoid function of ``z``, elementwise."""
    return 1.0/(1.0+np.exp(-z))


def _sigmoid_in_place(z):
    """Return sigmoid(z), computed in the array ``z`` itself (no temporaries)."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    return np.reciprocal(z, out=z)


def sigmoid_prime(z):
    """Return the derivative of the sigmoid function at ``z``, elementwise."""
    s = sigmoid(z)
    return s*(1-s)


#### Cost functions
class QuadraticCost(object):

    @staticmethod
    def fn(a, y):
        """Return the quadratic cost 0.5*||a-y||^2 summed over the columns
        of ``a`` and ``y``, two (10, m) arrays (one sample per column)."""
        return 0.5*np.sum((a-y)**2).item()

    @staticmethod
    def delta(z, a, y):
        """Return the error delta of the output layer for the weighted
        inputs ``z``, the activations ``a`` and the desired outputs ``y``."""
        return (a-y) * sigmoid_prime(z)

    @staticmethod
    def delta_and_fn(a, y):
        """Return ``(delta, fn)`` for the output activations ``a`` and the
        desired outputs ``y``, two (10, m) arrays, sharing the error a-y and
        reusing a = sigmoid(z) for sigmoid_prime(z) = a(1-a)."""
        error = a-y
        return error*(a*(1-a)), 0.5*float(np.vdot(error, error))


class CrossEntropyCost(object):

    @staticmethod
    def fn(a, y):
        """Return the cross-entropy cost summed over the columns of ``a`` and
        ``y``, two (10, m) arrays.  ``np.nan_to_num`` turns the 0*log(0)
        terms of saturated outputs into 0, as in the book."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(np.nan_to_num(-y*np.log(a)-(1-y)*np.log(1-a),
                                        posinf=_LOG_FLOOR)).item()

    @staticmethod
    def delta(z, a, y):
        """Return the error delta of the output layer.  ``z`` is unused: the
        sigmoid's derivative cancels out for the cross-entropy cost."""
        return (a-y)

    @staticmethod
    def delta_and_fn(a, y):
        """Return ``(delta, fn)`` for the output activations ``a`` and the
        desired outputs ``y``, two (10, m) arrays."""
        return (a-y), CrossEntropyCost.fn(a, y)


# -log of the smallest positive double: a saturated output's cross-entropy term
# stays finite (nan_to_num's default would turn +inf into 1.8e308, and the sum
# of two of those into inf).
_LOG_FLOOR = 745.0

COSTS = {"QuadraticCost": QuadraticCost, "CrossEntropyCost": CrossEntropyCost}
INITS = ("large", "scaled")
DTYPES = ("float64", "float32")
EVAL_CHUNK = 10000     # most samples fed forward in one product when scoring


#### Main Network class
class Network(object):

    def __init__(self, sizes, cost=QuadraticCost, init="large", seed=None,
                 dtype="float64"):
        """Create a network whose layer ``l`` has ``sizes[l]`` neurons, e.g.
        ``Network([784, 30, 10])``.  ``cost`` is ``QuadraticCost``,
        ``CrossEntropyCost`` or one of their names.  ``init="large"`` draws
        weights and biases from N(0, 1) (the seed's initialization);
        ``init="scaled"`` draws weights from N(0, 1/n_in) and biases from
        N(0, 1).  ``seed`` seeds ``self.rng``, which draws the initial
        parameters and shuffles the data in ``SGD``: the same seed and
        settings give bit-identical runs.  ``dtype`` is "float64" or
        "float32"."""
        sizes = _check_sizes(sizes)
        if isinstance(cost, str):
            if cost not in COSTS:
                raise ValueError("cost must be one of {}, got {!r}.".format(
                    ", ".join(sorted(COSTS)), cost))
            cost = COSTS[cost]
        elif cost not in COSTS.values():
            raise ValueError("cost must be QuadraticCost or CrossEntropyCost, "
                             "got {!r}.".format(cost))
        if init not in INITS:
            raise ValueError("init must be 'large' or 'scaled', got {!r}.".format(init))
        if np.dtype(dtype).name not in DTYPES:
            raise ValueError("dtype must be float64 or float32, got {!r}.".format(dtype))
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.cost = cost
        self.dtype = np.dtype(dtype)
        self.rng = np.random.RandomState(seed)
        self.biases = [self.rng.randn(y, 1) for y in sizes[1:]]
        self.weights = [self.rng.randn(y, x) for x, y in zip(sizes[:-1], sizes[1:])]
        if init == "scaled":
            self.weights = [w/np.sqrt(x) for w, x in zip(self.weights, sizes[:-1])]
        self.biases = [b.astype(self.dtype) for b in self.biases]
        self.weights = [w.astype(self.dtype) for w in self.weights]

    def feedforward(self, a):
        """Return the output of the network, a (10, m) array, for ``a``, a
        (784, m) array of inputs in [0, 1] (one sample per column)."""
        a = np.asarray(a, dtype=self.dtype)
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a)+b)
        return a

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None,
            lmbda=0.0, verbose=True, on_epoch=None):
        """Train the network with mini-batch stochastic gradient descent.
        ``training_data`` is a list of tuples ``(x, y)``: x a (784, 1) input,
        y the desired output, a one-hot (10, 1) array or an int label.  If
        ``test_data`` (same form) is given, the network is evaluated on it
        after each epoch.  ``lmbda`` is the L2 regularization parameter.
        Print the book's lines ("Epoch 0: 9012 / 10000" or "Epoch 0
        complete") when ``verbose``; call ``on_epoch(metrics)`` after each
        epoch.  Return the list of per-epoch metric dicts with keys "epoch",
        "cost" (mean training cost per sample), "seconds" (training time)
        and, with test data, "correct", "total" and "accuracy"."""
        X_rows, Y_cols = self._stack_rows(training_data)
        n = X_rows.shape[0]
        if test_data is not None:
            test_data = list(test_data)
            X_test = self._stack_rows(test_data)[0].T
            labels_test = np.array([_label(y) for x, y in test_data], dtype=np.intp)
            n_test = len(test_data)
        history = []
        for j in range(epochs):
            start = time.perf_counter()
            order = self.rng.permutation(n)
            total = 0.0
            for k in range(0, n, mini_batch_size):
                idx = order[k:k+mini_batch_size]
                total += self.update_batch(X_rows[idx].T, Y_cols[:, idx], eta, lmbda, n)
            metrics = {"epoch": j, "cost": total/max(n, 1),
                       "seconds": time.perf_counter()-start}
            if test_data:
                correct = self.accuracy(X_test, labels_test)
                metrics.update(correct=correct, total=n_test,
                               accuracy=correct/n_test)
                if verbose:
                    print("Epoch {0}: {1} / {2}".format(j, correct, n_test))
            elif verbose:
                print("Epoch {0} complete".format(j))
            history.append(metrics)
            if on_epoch is not None:
                on_epoch(metrics)
        return history

    def update_batch(self, X, Y, eta, lmbda=0.0, n=1):
        """Apply one step of gradient descent for the mini-batch ``X``, a
        (784, m) array of inputs, with desired outputs ``Y``, a (10, m)
        array: w <- (1-eta*lmbda/n) w - (eta/m) nabla_w and
        b <- b - (eta/m) nabla_b, where ``n`` is the size of the whole
        training set.  Return the batch's summed cost before the step."""
        m = X.shape[1]
        # the gradients come already scaled by eta/m (delta is linear in the
        # output error), which saves a pass over every weight matrix
        nabla_b, nabla_w, cost = self._gradients(X, Y, eta/m)
        decay = 1.0-eta*lmbda/n
        for w, nw in zip(self.weights, nabla_w):
            if decay != 1.0:
                w *= decay
            w -= nw
        for b, nb in zip(self.biases, nabla_b):
            b -= nb
        return cost

    def update_mini_batch(self, mini_batch, eta, lmbda=0.0, n=1):
        """Update the network's weights and biases by applying gradient
        descent to a single mini-batch, a list of tuples ``(x, y)``, with
        learning rate ``eta`` (and L2 parameter ``lmbda`` for a training set
        of size ``n``).  The samples are stacked into columns and handled by
        ``update_batch`` in one pass."""
        X_rows, Y_cols = self._stack_rows(mini_batch)
        self.update_batch(X_rows.T, Y_cols, eta, lmbda, n)

    def backprop(self, x, y):
        """Return a tuple ``(nabla_b, nabla_w)`` representing the gradient
        of the cost for the single sample ``x``, a (784, 1) input, with the
        desired output ``y``, a one-hot (10, 1) array.  ``nabla_b`` and
        ``nabla_w`` are layer-by-layer lists of arrays shaped like
        ``self.biases`` and ``self.weights``.  This is the readable
        per-sample reference for ``backprop_batch``."""
        nabla_b = [np.zeros(b.shape, dtype=self.dtype) for b in self.biases]
        nabla_w = [np.zeros(w.shape, dtype=self.dtype) for w in self.weights]
        # feedforward
        activation = np.asarray(x, dtype=self.dtype)
        activations = [activation]  # list to store all the activations, layer by layer
        zs = []  # list to store all the z vectors, layer by layer
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation)+b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        # backward pass
        delta = self.cost.delta(zs[-1], activations[-1], y)
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        # l = 1 means the last layer of neurons, l = 2 the second-last, and so on.
        for l in range(2, self.num_layers):
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-l+1].transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l-1].transpose())
        return (nabla_b, nabla_w)

    def backprop_batch(self, X, Y):
        """Return ``(nabla_b, nabla_w)``, the gradient of the cost summed
        over the mini-batch ``X``, a (784, m) array of inputs, with desired
        outputs ``Y``, a (10, m) array.  Equal to the sum of ``backprop``
        over the columns, computed with one matrix product per layer."""
        nabla_b, nabla_w, cost = self._gradients(X, Y)
        return (nabla_b, nabla_w)

    def _gradients(self, X, Y, scale=1.0):
        """Return ``(nabla_b, nabla_w, cost)`` for the mini-batch ``X``
        (784, m) with desired outputs ``Y`` (10, m), the gradients
        multiplied by ``scale``; ``cost`` is the batch's summed cost before
        the step.  Every derivative reuses a = sigmoid(z), so the weighted
        inputs ``zs`` need not be kept.  ``np.matmul`` rather than
        ``np.dot``, and a product with a column of ones rather than a sum
        over the batch: the same numbers, but without BLAS (Pyodide's
        NumPy) they run in tight loops instead of one call per element."""
        activation = X if X.dtype == self.dtype else np.asarray(X, dtype=self.dtype)
        activations = [activation]
        for b, w in zip(self.biases, self.weights):
            z = np.matmul(w, activation)
            z += b
            activation = _sigmoid_in_place(z)
            activations.append(activation)
        nabla_b = [None]*len(self.biases)
        nabla_w = [None]*len(self.weights)
        ones = np.ones((X.shape[1], 1), dtype=self.dtype)
        delta, cost = self.cost.delta_and_fn(activations[-1], Y)
        if scale != 1.0:
            delta = delta*scale
        nabla_b[-1] = np.matmul(delta, ones)
        nabla_w[-1] = np.matmul(delta, activations[-2].T)
        for l in range(2, self.num_layers):
            a = activations[-l]
            sp = a*(1-a)  # sigmoid_prime(zs[-l]), reusing sigmoid(zs[-l])
            delta = np.matmul(self.weights[-l+1].T, delta) * sp
            nabla_b[-l] = np.matmul(delta, ones)
            nabla_w[-l] = np.matmul(delta, activations[-l-1].T)
        return (nabla_b, nabla_w, cost)

    def evaluate(self, test_data):
        """Return the number of test inputs for which the network outputs
        the correct result, as an int.  ``test_data`` is an iterable of
        tuples ``(x, y)``: x a (784, 1) input, y an int label or a one-hot
        (10, 1) array.  The network's answer is the index of the output
        neuron with the highest activation."""
        test_data = list(test_data)
        if not test_data:
            return 0
        X_rows = self._stack_rows(test_data)[0]
        labels = np.array([_label(y) for x, y in test_data], dtype=np.intp)
        return self.accuracy(X_rows.T, labels)

    def accuracy(self, X, labels):
        """Return the number of columns of ``X``, a (784, n) array of
        inputs, that the network classifies as ``labels``, an int array of
        shape (n,).  The inputs are fed forward in chunks of 10,000."""
        labels = np.asarray(labels).reshape(-1)
        return int(np.count_nonzero(self.guesses(X) == labels))

    def guesses(self, X):
        """Return the network's answers for the columns of ``X``, a (784, n)
        array of inputs: an int array (n,) holding, for each input, the index
        of the output neuron with the highest activation.  The inputs are fed
        forward in chunks of 10,000."""
        return np.concatenate([np.argmax(self.feedforward(X[:, k:k+EVAL_CHUNK]), axis=0)
                               for k in range(0, X.shape[1], EVAL_CHUNK)]
                              or [np.zeros(0, np.intp)])

    def cost_derivative(self, output_activations, y):
        """Return the vector of partial derivatives \\partial C_x /
        \\partial a for the output activations (quadratic cost)."""
        return (output_activations-y)

    def _stack_rows(self, data):
        """Return ``(X_rows, Y)`` for ``data``, an iterable of tuples
        ``(x, y)``: X_rows an (n, n_in) array of the inputs as rows (so
        ``X_rows[idx].T`` is a mini-batch of columns) and Y the (n_out, n)
        array of desired outputs (int labels become one-hot columns)."""
        data = list(data)
        n_in, n_out = self.sizes[0], self.sizes[-1]
        if not data:
            return (np.zeros((0, n_in), self.dtype), np.zeros((n_out, 0), self.dtype))
        X_rows = np.empty((len(data), n_in), dtype=self.dtype)
        Y = np.zeros((n_out, len(data)), dtype=self.dtype)
        for i, (x, y) in enumerate(data):
            x = np.asarray(x)
            if x.size != n_in:
                raise ValueError("each input must have {} values, got {}.".format(
                    n_in, x.size))
            X_rows[i] = x.reshape(-1)
            y = np.asarray(y)
            if y.ndim == 0:
                Y[y.item(), i] = 1.0
            elif y.size != n_out:
                raise ValueError("each desired output must have {} values or be an "
                                 "int label, got {} values.".format(n_out, y.size))
            else:
                Y[:, i] = y.reshape(-1)
        return (X_rows, Y)


#### Helpers
def _label(y):
    """Return the int label for ``y``, an int or a one-hot array."""
    y = np.asarray(y)
    if y.ndim == 0:
        return int(y.item())
    return int(np.argmax(y))


def _check_sizes(sizes):
    """Return ``sizes`` as a list of ints, or raise a ValueError sentence."""
    try:
        sizes = list(sizes)
    except TypeError:
        raise ValueError("sizes must be a list of layer sizes, got {!r}.".format(sizes))
    if len(sizes) < 2:
        raise ValueError("sizes must list at least two layers, got {}.".format(len(sizes)))
    out = []
    for i, s in enumerate(sizes):
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, np.integer)):
            raise ValueError("sizes[{}] must be an int, got {!r}.".format(i, s))
        if s < 1:
            raise ValueError("sizes[{}] must be at least 1, got {}.".format(i, s))
        out.append(int(s))
    return out
