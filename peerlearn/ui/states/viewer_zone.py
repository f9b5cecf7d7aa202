"""Which time zone a viewer's times are shown in (mixed into AuthState).

In order: the zone picked in a page's switcher (this tab), else a signed-in person's profile zone, else the
browser's zone (visitors), else UTC. The browser's zone is read once per browser with one expression,
`Intl.DateTimeFormat().resolvedOptions().timeZone`: Reflex 0.10 exposes no client time zone of its own
(`rx.moment` formats in a zone but reports none back), and kept in localStorage. Whatever the browser says is
checked against the IANA names this server knows; anything else is UTC.
"""

from __future__ import annotations

import reflex as rx

from peerlearn.platform.timefmt import valid_zone
from peerlearn.ui.page_loads import loads_for
from peerlearn.ui.timezones import COMMON_TIMEZONES

BROWSER_ZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


class ViewerZone(rx.State, mixin=True):
    browser_timezone: str = rx.LocalStorage("", name="peerlearn_browser_tz")
    chosen_timezone: str = ""
    signup_timezone: str = ""
    viewer_timezone: str = "UTC"

    @rx.var
    def zone_options(self) -> list[str]:
        """The common zones, plus the viewer's and the browser's when they are not among them."""
        zones = (self.viewer_timezone, valid_zone(self.browser_timezone))
        extra = [z for z in zones if z and z not in COMMON_TIMEZONES]
        return list(dict.fromkeys(extra)) + COMMON_TIMEZONES

    def _visitor_zone(self) -> str:
        return self.chosen_timezone or valid_zone(self.browser_timezone)

    def _zone_for(self, profile_zone: str) -> str:
        return self.chosen_timezone or profile_zone

    def _detect_zone(self):
        """The browser's zone, asked for once per browser (its answer arrives at `zone_detected`)."""
        if not self.browser_timezone:
            return rx.call_script(BROWSER_ZONE_SCRIPT, callback=type(self).zone_detected)
        return None

    def _reload_page(self) -> list:
        return loads_for(self.router.page.path)

    @rx.event
    def zone_detected(self, zone: str):
        self.browser_timezone = zone = valid_zone(str(zone))
        if not self.signup_timezone or self.signup_timezone == "UTC":
            self.signup_timezone = zone
        if self.user_id > 0 or self.chosen_timezone or self.viewer_timezone == zone:  # type: ignore[attr-defined]
            return None
        self.viewer_timezone = zone
        return self._reload_page()  # the page was first formatted in UTC

    @rx.event
    def choose_timezone(self, zone: str):
        """The page's zone switcher: show this tab's times in `zone` (the profile's zone is not changed)."""
        self.chosen_timezone = self.viewer_timezone = valid_zone(zone)
        return self._reload_page()

    @rx.event
    def set_signup_timezone(self, zone: str):
        self.signup_timezone = valid_zone(zone)

    @rx.event
    def prepare_signup_timezone(self):
        self.signup_timezone = self.signup_timezone or valid_zone(self.browser_timezone)
