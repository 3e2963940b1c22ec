"""Short confirmations shown after a redirect (`/login?notice=signed_out`): only these keys, so a link cannot
put text of its own on a page. `render()` shows the one named in the query string above the page content."""

from __future__ import annotations

from neuromotrix.adapters.i18n import N_

NOTICES: dict[str, str] = {
    "signed_out": N_("You are signed out."),
    "password_reset": N_("Your new password is saved. Sign in with it."),
    "two_factor_on": N_("Two-step sign-in is on. From now on, sign in with your password and a code from your app."),
}
