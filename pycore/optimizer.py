"""
optimizer.py
~~~~~~~~~~~~

The update rule, in one place: plain stochastic gradient descent with the
book's L2 weight decay,

    w <- (1 - eta*lmbda/n) w - (eta/m) nabla_w,    b <- b - (eta/m) nabla_b,

used by ``Network.update_batch`` (and so the seed's ``update_mini_batch``
and ``SGD``) and by the lean step (``fast.py``).  Backpropagation is linear
in the output error, so the gradients arrive already multiplied by
``scale(m)`` = eta/m (one multiplication of the output delta instead of one
pass over every weight matrix); ``decay`` then ``apply(param, grad,
out=param)`` for each parameter array finish the step.
Momentum and its relatives go here as subclasses.
This module uses only NumPy.
"""

import numpy as np


class SGD(object):

    def __init__(self, eta, lmbda=0.0, n=1, dtype=np.float64):
        """Prepare steps with learning rate ``eta`` and L2 parameter
        ``lmbda`` for a training set of ``n`` samples; ``dtype`` is the
        parameters' float type (the factors are kept as 0-d arrays of it, so
        NumPy converts no Python float per call)."""
        self.eta = float(eta)
        self.lmbda = float(lmbda)
        self.n = n
        self.decay_factor = 1.0-self.eta*self.lmbda/n
        self._decay = np.array(self.decay_factor, dtype=dtype)

    def scale(self, m):
        """Return eta/m, the factor the gradients of a mini-batch of ``m``
        samples are multiplied by before ``apply``."""
        return self.eta/m

    def decay(self, weights):
        """Shrink each weight matrix in ``weights`` in place by 1-eta*lmbda/n
        (nothing when lmbda is 0)."""
        if self.decay_factor != 1.0:
            for w in weights:
                np.multiply(w, self._decay, out=w)

    # apply(param, grad, out=param): take the scaled gradient from the parameters,
    # in place: for plain SGD the ufunc itself (no Python call in the lean step's loop)
    apply = np.subtract
