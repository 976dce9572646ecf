import zoneinfo

from django import forms


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[("", "Choose a time zone")]
        + [(z, z) for z in sorted(zoneinfo.available_timezones())],
    )
    # Set by the page's script when it reports the browser's zone on its own.
    detected = forms.BooleanField(required=False, widget=forms.HiddenInput)
