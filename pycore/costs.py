"""
costs.py
~~~~~~~~

The cost functions C(a, y) of the output layer, each an object with

- ``fn(a, y)``: the cost summed over the columns of ``a`` and ``y``, two
  (n_out, m) arrays (one sample per column), as a Python float;
- ``derivative(a, y, out=None)``: dC/da, elementwise;
- ``fn_and_derivative(a, y, out)``: dC/da written into ``out``, and the
  summed cost returned (the lean step's form: one pass, no temporaries);
- ``fuses``: the output activations for which the output error
  delta = dC/dz is simply a - y (the sigma'(z) in dC/da * sigma'(z) cancels,
  the book's chapter 3), with ``fn_and_delta(a, y, out, spare=None)``.

No cost knows an activation's derivative: ``output_delta`` multiplies a
cost's dC/da by the output layer's sigma'(z), or takes the fused form.
``COSTS`` is the one table of costs: its keys are the names model files use
(network2.py's "QuadraticCost", "CrossEntropyCost"), ``setting`` is the
settings table's value and ``code`` the network link's byte.
This module uses only NumPy.
"""

import numpy as np

# -log of the smallest positive double: a saturated output's cross-entropy term
# stays finite (nan_to_num's default would turn +inf into 1.8e308, and the sum
# of two of those into inf).
_LOG_FLOOR = 745.0


class Cost(object):
    """What the costs share: the lean step's one-pass forms, from ``fn`` and
    ``derivative``."""
    fuses = ()

    @classmethod
    def fn_and_derivative(cls, a, y, out):
        """Write dC/da into ``out`` and return the summed cost."""
        cls.derivative(a, y, out=out)
        return cls.fn(a, y)

    @classmethod
    def fn_and_delta(cls, a, y, out, spare=None):
        """Write the fused output error delta = a - y (for an output layer in
        ``fuses``) into ``out`` and return the summed cost (``spare`` is not
        needed)."""
        np.subtract(a, y, out=out)
        return cls.fn(a, y)


class QuadraticCost(Cost):
    """C = 0.5 ||a - y||^2, the book's first cost."""
    setting, code = "quadratic", 0

    @staticmethod
    def fn(a, y):
        """Return the quadratic cost 0.5*||a-y||^2 summed over the columns
        of ``a`` and ``y``, two (10, m) arrays (one sample per column)."""
        return 0.5*np.sum((a-y)**2).item()

    @staticmethod
    def derivative(a, y, out=None):
        """Return dC/da = a - y."""
        return np.subtract(a, y, out=out)

    @staticmethod
    def fn_and_derivative(a, y, out):
        """Write dC/da = a - y into ``out`` and return the summed cost."""
        np.subtract(a, y, out=out)
        return 0.5*float(np.vdot(out, out))


class CrossEntropyCost(Cost):
    """C = -sum(y ln a + (1-y) ln(1-a)), chapter 3's cost for sigmoid outputs."""
    setting, code = "cross-entropy", 1
    fuses = ("sigmoid",)

    @staticmethod
    def fn(a, y):
        """Return the cross-entropy cost summed over the columns of ``a`` and
        ``y``, two (10, m) arrays.  ``np.nan_to_num`` turns the 0*log(0)
        terms of saturated outputs into 0, as in the book."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(np.nan_to_num(-y*np.log(a)-(1-y)*np.log(1-a),
                                        posinf=_LOG_FLOOR)).item()

    @staticmethod
    def derivative(a, y, out=None):
        """Return dC/da = (a - y)/(a(1 - a))."""
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.divide(a-y, a*(1-a), out=out)
        return result


class LogLikelihoodCost(Cost):
    """C = -ln a_y, the log-likelihood of the right answer (chapter 3), for a
    softmax output layer."""
    setting, code = "log-likelihood", 2
    fuses = ("softmax",)

    @staticmethod
    def fn(a, y):
        """Return -sum(y ln a) over the columns of ``a`` and ``y``, two (10, m)
        arrays: -ln of each sample's output for its right answer (an output of
        exactly 0 counts as _LOG_FLOOR, not infinity)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sum(np.nan_to_num(-y*np.log(a), posinf=_LOG_FLOOR)).item()

    @staticmethod
    def derivative(a, y, out=None):
        """Return dC/da = -y/a."""
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.divide(-y, a, out=out)
        return result


COSTS = {cost.__name__: cost for cost in (QuadraticCost, CrossEntropyCost, LogLikelihoodCost)}
BY_SETTING = {cost.setting: cost for cost in COSTS.values()}
BY_CODE = {cost.code: cost for cost in COSTS.values()}


def get(cost):
    """Return the cost class for ``cost``: a class of ``COSTS``, its name
    ("CrossEntropyCost") or its setting ("cross-entropy"); or raise a
    ValueError sentence."""
    if isinstance(cost, str):
        found = COSTS.get(cost) or BY_SETTING.get(cost)
        if found is None:
            raise ValueError("cost must be one of {}, got {!r}.".format(
                ", ".join(sorted(COSTS)), cost[:40]))
        return found
    if cost in COSTS.values():
        return cost
    raise ValueError("cost must be one of {}, got {!r}.".format(
        " or ".join(sorted(COSTS)), cost))


# Which output layers each cost goes with (the book's pairs): a softmax output's
# derivative is a matrix, so it trains only fused with the log-likelihood.
OUTPUTS = {QuadraticCost: ("sigmoid",), CrossEntropyCost: ("sigmoid",),
           LogLikelihoodCost: ("softmax",)}


def check_pair(cost, activation):
    """Raise a ValueError sentence unless ``cost`` goes with an output layer
    of ``activation`` (a class of activations.py)."""
    if activation.name not in OUTPUTS[cost]:
        costs = [c.__name__ for c in COSTS.values() if activation.name in OUTPUTS[c]]
        raise ValueError("A {} output layer goes with {}, not {}; {} goes with a {} output layer."
                         .format(activation.name, " or ".join(costs) or "no cost", cost.__name__,
                                 cost.__name__, " or ".join(OUTPUTS[cost])))


def output_delta(cost, activation, a, y):
    """Return the output layer's error delta = dC/dz for its outputs ``a``
    and the desired outputs ``y``: a - y where the pair fuses, else
    dC/da * sigma'(z) (sigma' taken from the outputs)."""
    if activation.name in cost.fuses:
        return a-y
    return cost.derivative(a, y)*activation.prime_from_output(a)


def output_delta_and_fn(cost, activation, a, y, out, spare):
    """Write the output error delta into ``out`` and return the summed cost,
    with no temporaries beyond ``spare`` (an array shaped like ``a``)."""
    return output_step(cost, activation)(a, y, out, spare)


def output_step(cost, activation, dtype=np.float64):
    """Return the function ``f(a, y, out, spare)`` that writes the output
    error delta for ``cost`` and the output ``activation`` into ``out`` and
    returns the summed cost, for arrays of ``dtype`` (the lean step binds
    it once per plan): the
    fused form where the pair fuses, else dC/da (in ``spare``) * sigma'."""
    if activation.name in cost.fuses:
        return cost.fn_and_delta
    fn_and_derivative, prime, multiply = cost.fn_and_derivative, activation.kernels(dtype)[1], np.multiply

    def step(a, y, out, spare):
        fn = fn_and_derivative(a, y, spare)
        prime(a, out)
        multiply(spare, out, out=out)
        return fn
    return step
