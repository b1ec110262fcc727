"""
optimizer.py
~~~~~~~~~~~~

The update rule, in one place: stochastic gradient descent with the book's
regularization and momentum (chapter 3),

    L2: w <- (1 - eta*lmbda/n) w                 L1: w <- w - (eta*lmbda/n) sgn(w)
    then, without momentum:  w <- w - (eta/m) nabla_w,   b <- b - (eta/m) nabla_b
    with momentum mu:        v <- mu v - (eta/m) nabla,   w <- w + v   (a velocity
                             per weight and per bias)

used by ``Network.update_batch`` (and so the seed's ``update_mini_batch``
and ``SGD``) and by the lean step (``fast.py``).  The regularization term
acts on the weights directly each step; momentum acts on the cost's
gradient.  Backpropagation is linear in the output error, so the gradients
arrive already multiplied by ``scale(m)`` = eta/m (one multiplication of the
output delta instead of one pass over every weight matrix); ``decay`` then
``apply(param, grad, out=param)`` for each parameter array finish the step.
This module uses only NumPy.
"""

import numpy as np

REGULARIZATIONS = ("L2", "L1")


class SGD(object):

    def __init__(self, eta, lmbda=0.0, n=1, dtype=np.float64, mu=0.0, reg="L2"):
        """Prepare steps with learning rate ``eta``, regularization parameter
        ``lmbda`` (``reg`` "L2" or "L1") for a training set of ``n``
        samples and momentum co-efficient ``mu`` (0: none); ``dtype`` is the
        parameters' float type (the factors are kept as 0-d arrays of it, so
        NumPy converts no Python float per call)."""
        if reg not in REGULARIZATIONS:
            raise ValueError("reg must be L2 or L1, got {!r}.".format(reg))
        if not 0.0 <= mu < 1.0:
            raise ValueError("mu must be at least 0 and below 1, got {!r}.".format(mu))
        self.eta = float(eta)
        self.lmbda = float(lmbda)
        self.n = n
        self.reg = reg
        self.mu = float(mu)
        shrink = self.eta*self.lmbda/n
        self.decays = shrink != 0          # False: ``decay`` has nothing to do
        self.decay_factor = 1.0-shrink     # L2's factor
        self._decay = np.array(self.decay_factor, dtype=dtype)
        self._shrink = np.array(shrink, dtype=dtype)
        self._mu = np.array(self.mu, dtype=dtype)
        self._velocities = {}      # id(param) -> (param, its velocity)
        if self.mu:
            self.apply = self._apply_with_momentum

    def set_eta(self, eta):
        """Go on with learning rate ``eta`` (velocities kept)."""
        dtype = self._decay.dtype
        shrink = float(eta)*self.lmbda/self.n
        self.eta = float(eta)
        self.decays = shrink != 0
        self.decay_factor = 1.0-shrink
        self._decay = np.array(self.decay_factor, dtype=dtype)
        self._shrink = np.array(shrink, dtype=dtype)

    def scale(self, m):
        """Return eta/m, the factor the gradients of a mini-batch of ``m``
        samples are multiplied by before ``apply``."""
        return self.eta/m

    def decay(self, weights):
        """Regularize each weight matrix in ``weights`` in place: shrink it by
        1-eta*lmbda/n (L2) or move it eta*lmbda/n towards 0 (L1); nothing when
        lmbda is 0."""
        if not self.decays:
            return
        for w in weights:
            if self.reg == "L2":
                np.multiply(w, self._decay, out=w)
            else:
                np.subtract(w, self._shrink*np.sign(w), out=w)

    # apply(param, grad, out=param): take the scaled gradient from the parameters,
    # in place: for plain SGD the ufunc itself (no Python call in the lean step's loop)
    apply = np.subtract

    def _apply_with_momentum(self, param, grad, out):
        """v <- mu v - grad, then out <- param + v, with ``param``'s own velocity
        (zero at its first step)."""
        kept = self._velocities.get(id(param))
        if kept is None or kept[0] is not param:
            kept = self._velocities[id(param)] = (param, np.zeros_like(param))
        v = kept[1]
        np.multiply(v, self._mu, out=v)
        np.subtract(v, grad, out=v)
        np.add(param, v, out=out)
