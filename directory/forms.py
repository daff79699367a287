"""Form fields shared by the admin and the public site."""

from django import forms

from .importexport.cells import with_lf
from .validators import as_layout


class MultiLineField(forms.CharField):
    """A text area's text with each line break as LF, the rule imports follow (`with_lf`).

    Browsers send each as CR LF: kept, a note typed in the admin would import from its own export
    as changed, and count twice against the `maxlength` the browser counted once.
    """

    def to_python(self, value):
        text = super().to_python(value)
        return with_lf(text) if text else text


class PastedTextField(MultiLineField):
    """A visitor's text of several lines, the control characters pasted with it (a PDF's line
    and page breaks) read as line breaks and spaces (`as_layout`): a visitor cannot delete a
    character they cannot see, and refused, they could not send their text at all."""

    def to_python(self, value):
        text = super().to_python(value)
        return as_layout(text) if text else text
