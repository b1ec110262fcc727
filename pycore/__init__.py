"""Digit Lab's Python package: a NumPy network trained on MNIST (see network.py)."""

from .network import Network

__all__ = ["Network"]
