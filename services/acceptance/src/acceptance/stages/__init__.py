"""The acceptance of a project through its stages (R-21.*): the path on approval, the stages in order,
the profile, suspension — over the project record (`projects`), the prerequisites' gates and the
evaluations. Above every other noun: nothing below imports it."""
