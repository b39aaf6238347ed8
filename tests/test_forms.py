"""The app's own renderings of choices (exchange.forms, issue 12) write what wtforms writes: the same
options selected and boxes ticked, the same ids, names and labels, everything escaped."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import Select

from exchange.forms import ChoiceField, LongSelect, MultiCheckboxField

CHOICES = [("", "All"), ("1", "Kungälv"), ("2", 'Perano <b>"&"</b>'), (3, "Hiddenhausen")]


class _Filters(Form):
    town = ChoiceField("Town", validators=[Optional()], choices=CHOICES)
    towns = MultiCheckboxField("Towns", choices=CHOICES[1:])
    needed = MultiCheckboxField("Needed", validators=[InputRequired()], choices=CHOICES[1:])
    styled = MultiCheckboxField("Styled", choices=CHOICES[1:], render_kw={"class": "x"})


def _wtforms_boxes(field) -> str:
    return "".join(f"<li>{option()} {option.label()}</li>" for option in field)


def test_a_choice_is_rendered_as_wtforms_renders_it():
    for data in (MultiDict(), MultiDict({"town": "2"}), MultiDict({"town": "3"}), MultiDict({"town": "9"})):
        field = _Filters(data).town
        assert isinstance(field.widget, LongSelect)
        attributes = {"aria-describedby": "town-hint", "class": "wide"}
        assert field(**attributes) == Select()(field, **attributes)
    assert 'selected value="2">Perano &lt;b&gt;&#34;&amp;&#34;&lt;/b&gt;</option>' in _Filters(
        MultiDict({"town": "2"})).town()


def test_ticked_boxes_are_rendered_as_wtforms_renders_them():
    for data in (MultiDict(), MultiDict([("towns", "1"), ("towns", "3")]), MultiDict([("towns", "2")])):
        field = _Filters(data).towns
        assert field.checkbox_items() == _wtforms_boxes(field)
    ticked = _Filters(MultiDict([("towns", "3")])).towns.checkbox_items()
    assert '<input checked id="towns-2" name="towns" type="checkbox" value="3">' in ticked
    assert '<label for="towns-1">Perano &lt;b&gt;' in ticked


def test_boxes_wtforms_must_render_are_left_to_it():
    """A required flag or attributes of the field's own go on every box: wtforms renders those."""
    form = _Filters(MultiDict())
    assert form.needed.checkbox_items() is None and "required" in _wtforms_boxes(form.needed)
    assert form.styled.checkbox_items() is None and 'class="x"' in _wtforms_boxes(form.styled)
