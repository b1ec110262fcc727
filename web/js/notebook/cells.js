// The notebook's content as data: the seed's network.py (its two defects fixed and
// marked), the book's experiment, and our walkthrough of each part. Text cells are
// plain paragraphs; `backticks` mark code. Code cells are numbered 1..N in order.

const SEED_CODE = `import numpy as np
import random


#Defining some functions
def sigmoid(z):
    return 1.0/(1.0+np.exp(-z))

def sigmoid_prime(z):
    return sigmoid(z)*(1-sigmoid(z))

class Network:
    # sizes is a list of the number of nodes in each layer
    # FIXED: the seed named this method init, so Network(sizes) never ran it.
    def __init__(self, sizes):
        self.num_layers = len(sizes)
        self.sizes = sizes
        self.biases = [np.random.randn(y, 1) for y in sizes[1:]]
        self.weights = [np.random.randn(y, x) for x,y in zip(sizes[:-1], sizes[1:])]

    def feedforward(self, a):
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(np.dot(w, a) + b)
        return a

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        training_data = list(training_data)
        samples = len(training_data)

        if test_data:
            test_data = list(test_data)
            n_test = len(test_data)

        for j in range(epochs):
            random.shuffle(training_data)
            mini_batches = [training_data[k:k+mini_batch_size]
                            for k in range(0, samples, mini_batch_size)]
            for mini_batch in mini_batches:
                self.update_mini_batch(mini_batch, eta)
            if test_data:
                print(f"Epoch {j}: {self.evaluate(test_data)} / {n_test}")
            else:
                print(f"Epoch {j} complete")

    def cost_derivative(self, output_activations, y):
        return(output_activations - y)

    def backprop(self, x, y):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        # feedforward
        activation = x
        activations = [x] # stores activations layer by layer
        zs = [] # stores z vectors layer by layer
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)

        # backward pass
        delta = self.cost_derivative(activations[-1], y) * sigmoid_prime(zs[-1])
        nabla_b[-1] = delta
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())

        for _layer in range(2, self.num_layers):
            z = zs[-_layer]
            sp = sigmoid_prime(z)
            delta = np.dot(self.weights[-_layer+1].transpose(), delta) * sp
            nabla_b[-_layer] = delta
            nabla_w[-_layer] = np.dot(delta, activations[-_layer-1].transpose())
        return (nabla_b, nabla_w)

    def update_mini_batch(self, mini_batch, eta):
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w-(eta/len(mini_batch))*nw
                        for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b-(eta/len(mini_batch))*nb
                       for b, nb in zip(self.biases, nabla_b)]

    def evaluate(self, test_data):
        test_results = [(np.argmax(self.feedforward(x)), y)
                        for (x, y) in test_data]
        # FIXED: the seed returned sum(int(y[x]) ...), which needs a one-hot y and
        # fails on NumPy 2 (int() of a one-element array); y may be an int label
        # (the book's test data) or a one-hot (10, 1) array.
        return sum(int(x == (y if np.ndim(y) == 0 else np.argmax(y)))
                   for (x, y) in test_results)`;

export const CELLS = [
  { type: "text", title: "The seed's network.py", paragraphs: [
    "This is the code the whole site grew from: Michael Nielsen's `network.py`, as the seed notebook wrote it. Read it next to the notes below, edit it, run it with Run or Shift+Enter. It runs in its own Python worker in your browser, so the Draw pad keeps working while a cell runs.",
    "Two lines differ from the seed, each marked FIXED: the constructor is `__init__` (the seed wrote `init`, so `Network([784, 30, 10])` never set up any weights), and `evaluate` compares labels instead of indexing a one-hot vector.",
  ] },
  { type: "code", code: SEED_CODE },
  { type: "text", title: "What each part does", paragraphs: [
    "`sigmoid(z)` squashes every entry of z into (0, 1); `sigmoid_prime(z)` is its derivative, sigmoid(z)(1 − sigmoid(z)), which backpropagation needs. Both work elementwise, so z can be a vector of any shape.",
    "`sizes` lists the neurons in each layer, input first: [784, 30, 10] is 784 pixels in, 30 hidden neurons, 10 outputs (one per digit).",
    "The constructor `__init__` keeps `num_layers` and `sizes`, and draws the parameters from the standard normal distribution with `np.random.randn`: one bias vector per layer after the input, `biases[l]` of shape (n_out, 1), and one weight matrix per pair of adjacent layers, `weights[l]` of shape (n_out, n_in). For [784, 30, 10] that is biases (30, 1) and (10, 1), weights (30, 784) and (10, 30). The input layer has no biases.",
    "`feedforward(a)` takes an input column a of shape (784, 1) and applies a ← sigmoid(w·a + b) layer by layer: (784, 1) → (30, 1) → (10, 1). The returned (10, 1) column holds the output activations; the largest is the network's answer.",
    "`SGD` is mini-batch stochastic gradient descent. `training_data` is a list of (x, y) pairs, x (784, 1) and y the desired (10, 1) output. Each epoch it shuffles the data, cuts it into mini-batches of `mini_batch_size`, and calls `update_mini_batch` on each with the learning rate `eta`. With `test_data` it prints “Epoch j: correct / total” after each epoch, otherwise “Epoch j complete”.",
    "`cost_derivative(output_activations, y)` returns ∂C/∂a for the quadratic cost C = ½‖a − y‖²: simply a − y, a (10, 1) column.",
    "`backprop(x, y)` returns the gradient of the cost for one sample as two lists shaped like the parameters, `nabla_b` and `nabla_w`. The forward pass stores every weighted input z (in `zs`) and activation (in `activations`). The output error is delta = (a − y) ⊙ sigmoid′(z), shape (10, 1); then nabla_b = delta and nabla_w = delta · aᵀ of the layer before, (10, 1)·(1, 30) = (10, 30). Going backwards, delta ← (wᵀ of the next layer · delta) ⊙ sigmoid′(z) gives each earlier layer's error, e.g. (30, 10)·(10, 1) = (30, 1).",
    "`update_mini_batch(mini_batch, eta)` sums the per-sample gradients from `backprop` over the mini-batch, then takes one step: w ← w − (eta/m) Σ nabla_w and b ← b − (eta/m) Σ nabla_b, where m is the mini-batch size. This loop, one sample at a time in Python, is what makes the seed's code slow.",
    "`evaluate(test_data)` feeds each test input forward, takes the index of the largest output as the answer (`np.argmax`) and counts how many answers equal the label.",
  ] },
  { type: "text", title: "Load MNIST", paragraphs: [
    "The book's `mnist_loader` gives 50,000 training pairs (x (784, 1) pixels in [0, 1], y a one-hot (10, 1) vector), and 10,000 validation and 10,000 test pairs whose y is the digit as an int. Here it reads the site's own MNIST files, which the notebook downloads the first time (about 11 MB; progress appears below the cell). Keeping all 70,000 images as columns takes about 220 MB of memory.",
  ] },
  { type: "code", code: "import mnist_loader\ntraining_data, validation_data, test_data = mnist_loader.load_data_wrapper()" },
  { type: "text", title: "The book's first experiment", paragraphs: [
    "A network with 784 inputs, 30 hidden neurons and 10 outputs, trained for 30 epochs with mini-batches of 10 and η = 3.0. The book reaches about 95% on the test images.",
    "Expect it to be slow: the seed's code handles one sample at a time, and in the browser one epoch of 50,000 images takes roughly 11 seconds plus the evaluation, so 30 epochs take several minutes. Each epoch's line appears as soon as it is done, and the cell shows how long it has been running. To try things quickly, train on a slice, e.g. `net.SGD(training_data[:5000], 3, 10, 3.0, test_data=test_data)`. Interrupt ends a cell at any time; where the browser allows it, it keeps what the cell has done so far (a network trained for some epochs stays in `net`).",
  ] },
  { type: "code", code: "net = Network([784, 30, 10])" },
  { type: "code", code: "net.SGD(training_data, 30, 10, 3.0, test_data=test_data)" },
  { type: "text", title: "The same network, faster", paragraphs: [
    "Digit Lab's own `pycore.network.Network` keeps the same API and the same math, but `update_mini_batch` pushes the whole mini-batch through each layer as one matrix product (784 × 10 inputs at once instead of ten (784, 1) columns in a Python loop), so NumPy does the work in compiled code. Measured in the browser on one epoch of 10,000 samples: 2.19 s for the seed's per-sample loop, 0.39 s for the mini-batch products, about 5.7 times faster. It also gives the same answers: it is tested against the per-sample algorithm.",
  ] },
  { type: "code", code: "from pycore.network import Network as FastNetwork\n\nnet = FastNetwork([784, 30, 10])\nnet.SGD(training_data, 30, 10, 3.0, test_data=test_data)" },
  { type: "text", title: "Try it on the Draw pad", paragraphs: [
    "`send_to_pad(net)` sends a network to the Draw pad, which then offers it as “Notebook”. Any object with `sizes`, `weights` and `biases` in the book's layout works, so a network you changed or trained here can read your own handwriting.",
  ] },
  { type: "code", code: "send_to_pad(net)" },
  { type: "text", title: "Your own handwriting", paragraphs: [
    "The digits you drew and labelled in My digits are here too: `mnist_loader.my_digits()` gives them as (x, y) pairs in the form of `test_data`, so `net.evaluate` counts how many of them the network reads. A network that scores 95% on MNIST may read far fewer of yours: a different pen, size and slant than MNIST's writers (distribution shift).",
  ] },
  { type: "code", code: "my_digits = mnist_loader.my_digits()\nprint(net.evaluate(my_digits), \"of\", len(my_digits), \"of my digits\")" },
];

/** Return the seed's code of every code cell, in order (cell 1 first). */
export function seedCode() {
  return CELLS.filter((cell) => cell.type === "code").map((cell) => cell.code);
}
