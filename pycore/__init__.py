"""Digit Lab's Python package: a NumPy network trained on MNIST (see network.py).

``Network`` is imported on first use, so that the pure-Python modules
(json_guard) can be imported where NumPy is not loaded."""

__all__ = ["Network"]


def __getattr__(name):
    """Return ``Network`` from network.py when it is first asked for."""
    if name == "Network":
        from .network import Network
        return Network
    raise AttributeError("module 'pycore' has no attribute {!r}".format(name))
