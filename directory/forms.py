"""Form fields shared by the admin and the public site."""

from django import forms

from .importexport.cells import with_lf


class MultiLineField(forms.CharField):
    """A text area's text with each line break as LF, the rule imports follow (`with_lf`).

    Browsers send each as CR LF: kept, a note typed in the admin would import from its own export
    as changed, and count twice against the `maxlength` the browser counted once.
    """

    def to_python(self, value):
        text = super().to_python(value)
        return with_lf(text) if text else text
