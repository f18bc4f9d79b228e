"""The Mesa layer: the model, its agents and its reporters.

>>> from sim.model import CoCreationModel
"""

from sim.model.model import CoCreationModel

__all__ = ["CoCreationModel"]
