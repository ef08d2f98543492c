"""The `auth` and `doctor` commands: parse, call google.auth or workflows.doctor, print."""

from __future__ import annotations

from pathlib import Path

import click

from gdoc_sync.cli.env import Env, Group, dump_json, json_option, pass_env


@click.group(cls=Group)
def auth() -> None:
    """Log in to Google, show which account gdoc-sync uses, log out.

    The local backend needs none of this. A service account needs no login either: pass its
    key with --credentials.

    Example:

        gdoc-sync auth login --client-secret client_secret.json
    """


@auth.command("login")
@click.option(
    "--client-secret",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="The OAuth desktop client file downloaded from the Cloud "
    "console (default: --credentials, or client_secret.json in the config dir).",
)
@click.option(
    "--no-browser", is_flag=True, help="Print the URL to open instead of opening a browser."
)
@click.option(
    "--full-drive-scope",
    is_flag=True,
    default=False,
    help="Also ask for the full `drive` scope (see `gdoc-sync --help`).",
)
@pass_env
def auth_login(
    env: Env, client_secret: Path | None, no_browser: bool, full_drive_scope: bool
) -> None:
    """Log in with your Google account in the browser and save the login for later commands.

    The login is saved readable only by you, in the config dir. By default gdoc-sync asks for
    Docs, Sheets and the files it creates or you open with it (drive.file), nothing more.

    Example:

        gdoc-sync auth login --client-secret client_secret.json --no-browser
    """
    from gdoc_sync.google.auth import FULL_DRIVE_WARNING, login, token_path

    settings = env.settings
    if full_drive_scope:
        settings.full_drive_scope = True
    if settings.full_drive_scope:
        env.err(f"note: {FULL_DRIVE_WARNING}")
    account = login(settings, client_secret, no_browser=no_browser)
    who = account or "an account gdoc-sync could not name"
    env.out(f"logged in as {who}; login saved to {token_path(settings)} (readable only by you)")
    env.out("check the setup with: gdoc-sync --backend google doctor")


@auth.command("status")
@json_option
@pass_env
def auth_status(env: Env, as_json: bool) -> None:
    """Show which Google account and scopes gdoc-sync would use; never the token itself.

    Example:

        gdoc-sync auth status --json
    """
    from gdoc_sync.google.auth import short_scope, status

    info = status(env.settings)
    if as_json:
        env.out(dump_json(info))
        return
    env.out(
        f"credentials: {info['source']}"
        + (f" ({info['credentials_file']})" if info["credentials_file"] else "")
    )
    env.out(f"account:     {info['account'] or 'unknown'}")
    if info["impersonating"]:
        env.out(f"acting as:   {info['impersonating']} (domain-wide delegation)")
    env.out(f"scopes:      {', '.join(short_scope(s) for s in info['scopes']) or 'unknown'}")
    if info["expiry"]:
        state = "expired, renewed on next use" if info["expired"] else "valid"
        env.out(f"access until: {info['expiry']} ({state})")
    mode = f" (mode {info['token_file_mode']})" if info["token_file_mode"] else " (none yet)"
    env.out(f"token file:  {info['token_file']}{mode}")
    if info["backend"] == "local":
        env.err(
            "note: the local backend needs no credentials; these are used with --backend google"
        )


@auth.command("logout")
@pass_env
def auth_logout(env: Env) -> None:
    """Revoke the saved login at Google and delete it from this computer.

    Example:

        gdoc-sync auth logout
    """
    from gdoc_sync.google.auth import Revoke, logout

    result = logout(env.settings)
    if result.revoke is Revoke.NO_LOGIN:
        env.out(f"no saved login at {result.token_file}: nothing to do")
        return
    who = f" of {result.account}" if result.account else ""
    done = "revoked the login" if result.revoked else "deleted the login"
    env.out(f"{done}{who}; removed {result.token_file}")
    if result.detail:
        env.err(f"note: {result.detail}")


@click.command("doctor")
@json_option
@pass_env
def doctor(env: Env, as_json: bool) -> None:
    """Check credentials, scopes, that Docs, Sheets and Drive answer, and the local folders.

    Every check is read-only. Exits 0 when all pass, 10 when any fails.

    Example:

        gdoc-sync --backend google doctor
    """
    from gdoc_sync.workflows.doctor import render_table, run_checks, verdict

    checks = run_checks(env.settings, on_retry=env.retried)
    failure = verdict(checks)
    if as_json:
        env.out(dump_json({"ok": failure is None, "checks": [c.to_json() for c in checks]}))
    else:
        env.out(render_table(checks))
    if failure is not None:
        raise failure
    if not as_json:
        env.err(f"all {len(checks)} checks passed")
