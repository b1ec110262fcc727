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

The network is a list of layers (``self.layers``, from ``layers.py``: dense
layers whose activation comes from ``activations.py``'s registry) with the
seed's parameter lists ``weights`` and ``biases``; ``layer_outputs`` is the
one forward pass that ``feedforward``, ``backprop``, ``update_batch`` and
the pad's answer loop through.  Costs (``costs.py``) give dC/da or a fused
output error; the update rule is ``optimizer.py``'s.

Inputs are columns: one sample is a (784, 1) array, a mini-batch of ``m``
samples is a (784, m) array.  The batched path (``update_batch``) pushes the
whole mini-batch through each layer as one matrix product; ``backprop`` keeps
the readable per-sample algorithm as the reference.  The trainer's lean step
(``fast.py``) is the same mathematics arranged for speed.

This module uses only the standard library, NumPy and the package's own
layers.py, activations.py, costs.py and optimizer.py (which use only NumPy).
"""

import time

import numpy as np

from . import activations, costs, layers as layer_types
from .costs import COSTS, CrossEntropyCost, QuadraticCost  # noqa: F401 (the seed's names)
from .optimizer import SGD as Optimizer


#### Miscellaneous functions
def sigmoid(z):
    """Return the sigmoid function of ``z``, elementwise."""
    return activations.Sigmoid.fn(z)


def sigmoid_prime(z):
    """Return the derivative of the sigmoid function at ``z``, elementwise."""
    return activations.Sigmoid.prime(z)


INITS = ("large", "scaled")
DTYPES = ("float64", "float32")
EVAL_CHUNK = 10000     # most samples fed forward in one product when scoring
EVAL_FLOATS = 4000000  # most floats a conv layer keeps while scoring one chunk (32 MB)


#### Main Network class
class Network(object):

    def __init__(self, sizes, cost=QuadraticCost, init="large", seed=None,
                 dtype="float64", activation="sigmoid", output="sigmoid", layers=None):
        """Create a network whose layer ``l`` has ``sizes[l]`` neurons, e.g.
        ``Network([784, 30, 10])``.  ``cost`` is ``QuadraticCost``,
        ``CrossEntropyCost`` or one of their names.  ``init="large"`` draws
        weights and biases from N(0, 1) (the seed's initialization);
        ``init="scaled"`` draws weights from N(0, 1/n_in) and biases from
        N(0, 1) (a conv layer's biases start at 0).  ``seed`` seeds ``self.rng``, which draws the initial
        parameters and shuffles the data in ``SGD``: the same seed and
        settings give bit-identical runs.  ``dtype`` is "float64" or
        "float32".  ``activation`` is the hidden layers' activation,
        "sigmoid" (the book's), "tanh" or "relu" (or a list of one name per
        hidden layer); ``output`` the output layer's, "sigmoid" or "softmax"
        (which goes with the log-likelihood cost).  ``self.layers`` holds
        the layers (``layers.py``); ``weights[l]`` and ``biases[l]`` are
        layer ``l``'s parameters, shaped (n_out, n_in) and (n_out, 1).
        ``Network(sizes)`` is always this MLP; for conv layers (the book's
        chapter 6) use ``Network.from_layers``."""
        if layers is not None:
            built = layer_types.build(layers, sizes[-1], activation, output)
            sizes = [built[0].n_in]+[layer.n_out for layer in built]
        sizes = _check_sizes(sizes)
        cost = costs.get(cost)
        if init not in INITS:
            raise ValueError("init must be 'large' or 'scaled', got {!r}.".format(init))
        if np.dtype(dtype).name not in DTYPES:
            raise ValueError("dtype must be float64 or float32, got {!r}.".format(dtype))
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.cost = cost
        self.dtype = np.dtype(dtype)
        self.layers = built if layers is not None else layer_types.dense_stack(sizes, activation, output)
        costs.check_pair(cost, self.layers[-1].activation)
        self.rng = np.random.RandomState(seed)
        self.biases = [self.rng.randn(*layer.shapes[1]) for layer in self.layers]
        self.weights = [self.rng.randn(*layer.shapes[0]) for layer in self.layers]
        if init == "scaled":
            self.weights = [w/np.sqrt(layer.fan_in) for w, layer in zip(self.weights, self.layers)]
            # a conv layer's biases start at 0: with N(0, 1) biases a feature map sits at its
            # bias wherever the image is blank, and half the ReLU filters start dead
            self.biases = [b*0 if layer.type == "conv" else b
                           for b, layer in zip(self.biases, self.layers)]
        self.biases = [b.astype(self.dtype) for b in self.biases]
        self.weights = [w.astype(self.dtype) for w in self.weights]

    @classmethod
    def from_layers(cls, layers, outputs=10, **kwargs):
        """Return a network whose hidden layers are ``layers``, a list of
        model-file entries, e.g. the book's chapter 6 network
        ``[{"type": "conv", "filters": 20, "size": 5, "pool": 2},
        {"type": "dense", "units": 100}]``, followed by an output layer of
        ``outputs`` units; ``kwargs`` are ``Network``'s (``activation`` is
        the hidden layers' activation where an entry names none).  Its
        ``sizes`` are the layers' output sizes, e.g. [784, 2880, 100, 10]."""
        return cls([outputs], layers=list(layers), **kwargs)

    @property
    def convolutional(self):
        """Return True if the network has conv layers."""
        return any(layer.type != "dense" for layer in self.layers)

    @property
    def activation(self):
        """Return the hidden layers' activation name ("sigmoid" for a network
        without hidden layers), or the list of names if they differ."""
        names = [layer.activation.name for layer in self.layers[:-1]]
        if len(set(names)) > 1:
            return names
        return names[0] if names else "sigmoid"

    @property
    def output(self):
        """Return the output layer's activation name ("sigmoid" or "softmax")."""
        return self.layers[-1].activation.name

    def layer_outputs(self, a):
        """Yield ``(z, a)``, the weighted inputs and the outputs of each
        layer in turn, for ``a``, an (n_in, m) array of inputs (one sample
        per column): the one forward pass, looping over ``self.layers``."""
        for layer, w, b in zip(self.layers, self.weights, self.biases):
            z, a = layer.forward(w, b, a)
            yield z, a

    def feedforward(self, a):
        """Return the output of the network, a (10, m) array, for ``a``, a
        (784, m) array of inputs in [0, 1] (one sample per column)."""
        a = np.asarray(a, dtype=self.dtype)
        for z, a in self.layer_outputs(a):
            pass
        return a

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None,
            lmbda=0.0, verbose=True, on_epoch=None, mu=0.0, reg="L2"):
        """Train the network with mini-batch stochastic gradient descent.
        ``training_data`` is a list of tuples ``(x, y)``: x a (784, 1) input,
        y the desired output, a one-hot (10, 1) array or an int label.  If
        ``test_data`` (same form) is given, the network is evaluated on it
        after each epoch.  ``lmbda`` is the regularization parameter of
        ``reg``, "L2" (the book's network2.py) or "L1"; ``mu`` the momentum
        co-efficient (0: none).
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
        optimizer = Optimizer(eta, lmbda, n, self.dtype, mu=mu, reg=reg)   # one for the run
        for j in range(epochs):
            start = time.perf_counter()
            order = self.rng.permutation(n)
            total = 0.0
            for k in range(0, n, mini_batch_size):
                idx = order[k:k+mini_batch_size]
                total += self.update_batch(X_rows[idx].T, Y_cols[:, idx], eta, lmbda, n,
                                           optimizer=optimizer)
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

    def update_batch(self, X, Y, eta, lmbda=0.0, n=1, optimizer=None):
        """Apply one step of gradient descent for the mini-batch ``X``, a
        (784, m) array of inputs, with desired outputs ``Y``, a (10, m)
        array: w <- (1-eta*lmbda/n) w - (eta/m) nabla_w and
        b <- b - (eta/m) nabla_b, where ``n`` is the size of the whole
        training set (``optimizer.SGD``; pass one made for the whole run,
        ``optimizer``, for momentum or L1: it keeps the velocities, and its
        eta, lmbda and n count instead).  Return the batch's summed cost
        before the step."""
        optimizer = optimizer or Optimizer(eta, lmbda, n, self.dtype)
        nabla_b, nabla_w, cost = self._gradients(X, Y, optimizer.scale(X.shape[1]))
        optimizer.decay(self.weights)
        for param, grad in zip(self.weights+self.biases, nabla_w+nabla_b):
            optimizer.apply(param, grad, out=param)
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
        per-sample reference for ``backprop_batch`` and the lean step."""
        nabla_b = [np.zeros(b.shape, dtype=self.dtype) for b in self.biases]
        nabla_w = [np.zeros(w.shape, dtype=self.dtype) for w in self.weights]
        # feedforward
        activation = np.asarray(x, dtype=self.dtype)
        activations = [activation]  # list to store all the activations, layer by layer
        zs = []  # list to store all the z vectors, layer by layer
        for z, activation in self.layer_outputs(activation):
            zs.append(z)
            activations.append(activation)
        # backward pass
        delta = costs.output_delta(self.cost, self.layers[-1].activation, activations[-1], y)
        # l = 1 means the last layer of neurons, l = 2 the second-last, and so on.
        for l in range(1, self.num_layers):
            layer = self.layers[-l]
            nabla_b[-l], nabla_w[-l], error = layer.backward(
                self.weights[-l], delta, activations[-l-1], l < self.num_layers-1,
                zs[-l])
            if error is not None:
                delta = self.layers[-l-1].delta(error, zs[-l-1], activations[-l-1])
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
        the step.  Every derivative is taken from the layer's outputs
        (``prime_from_output``), so the weighted inputs need not be kept."""
        activation = X if X.dtype == self.dtype else np.asarray(X, dtype=self.dtype)
        activations = [activation]
        caches = []       # what conv layers keep for their backward pass (dense: None)
        for z, activation in self.layer_outputs(activation):
            activations.append(activation)
            caches.append(None if self.layers[len(caches)].type == "dense" else z)
        nabla_b = [None]*len(self.biases)
        nabla_w = [None]*len(self.weights)
        a = activations[-1]
        delta = np.empty_like(a)
        cost = costs.output_delta_and_fn(self.cost, self.layers[-1].activation, a, Y,
                                         delta, np.empty_like(a))
        if scale != 1.0:
            delta = delta*scale
        for l in range(1, self.num_layers):
            nabla_b[-l], nabla_w[-l], error = self.layers[-l].backward(
                self.weights[-l], delta, activations[-l-1], l < self.num_layers-1, caches[-l])
            if error is not None:
                delta = self.layers[-l-1].delta(error, caches[-l-1], activations[-l-1])
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
        shape (n,).  The inputs are fed forward in chunks (``eval_chunk``)."""
        labels = np.asarray(labels).reshape(-1)
        return int(np.count_nonzero(self.guesses(X) == labels))

    def guesses(self, X):
        """Return the network's answers for the columns of ``X``, a (784, n)
        array of inputs: an int array (n,) holding, for each input, the index
        of the output neuron with the highest activation.  The inputs are fed
        forward in chunks (``eval_chunk``)."""
        chunk = self.eval_chunk
        return np.concatenate([np.argmax(self.feedforward(X[:, k:k+chunk]), axis=0)
                               for k in range(0, X.shape[1], chunk)]
                              or [np.zeros(0, np.intp)])

    @property
    def eval_chunk(self):
        """Return how many samples are fed forward at a time when scoring:
        10,000 for an MLP, fewer when a conv layer's windows would take
        more than EVAL_FLOATS floats."""
        work = max([getattr(layer, "work", 0) for layer in self.layers])
        return max(1, min(EVAL_CHUNK, EVAL_FLOATS//work)) if work else EVAL_CHUNK

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
