"""Command line: `flask --app kiosk demo seed`, `flask --app kiosk serve`, and the
accounts, volunteer codes and branches an admin manages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from kiosk.claims.calendar import CHINA, today_in_china

demo = AppGroup("demo", help="Demo data for trying the kiosk.")


@demo.command("seed")
def demo_seed() -> None:
    """Create demo people and claims in every state (does nothing if claims exist) and print
    STATE TRACKING_URL RECEIPT_URL for each."""
    from kiosk.demo import DEMO_STAFF_PASSWORD, DEMO_VOLUNTEER_CODE, seed_demo

    claims = seed_demo(today_in_china())
    if not claims:
        click.echo("demo: the database already has claims; nothing added", err=True)
        return
    # One line a claim, STATE TRACKING_URL RECEIPT_URL, for staff training and practice.
    for claim in claims:
        url = f"{current_app.config['PUBLIC_URL']}/t/{claim.tracking_token}"
        click.echo(f"{claim.state.value} {url} {url}/receipt")
    click.echo(f"demo: added {len(claims)} claims; volunteer code {DEMO_VOLUNTEER_CODE}", err=True)
    click.echo(
        f"demo: back office /staff/ as demo-handler, demo-approver, demo-approver2 or"
        f" demo-admin, password '{DEMO_STAFF_PASSWORD}'",
        err=True,
    )


@contextmanager
def _refused_plainly(*problems: type[Exception], prefix: str = "") -> Iterator[None]:
    """A service's refusal (one of `problems`) told as the command's one-line error."""
    try:
        yield
    except problems as problem:
        raise click.ClickException(f"{prefix}{problem}") from None


class _Stop(Exception):
    """SIGTERM, SIGINT or SIGHUP reached `serve`: both children are to stop."""


def _stop_serving(signum: int, _frame: object) -> None:
    raise _Stop(signum)


STOP_WITHIN = 9.0  # seconds; a process manager waits 10 before it kills
# Seconds an idle connection is kept. gunicorn's 2 s closes connections a browser may be
# about to reuse: a request sent as the server closes gets no answer. Idle connections wait
# in the worker's poller (gthread), not in a thread, so a long keep-alive is cheap.
KEEP_ALIVE = 75
# What a web process is started with (ADR 0055): -OO, no docstrings and no asserts in its
# memory (6 MB a process). The deployment files (deploy/) and the benchmarks set the same.
WEB_PROCESS_ENVIRONMENT = {"PYTHONOPTIMIZE": "2"}


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=1, show_default=True, help="gunicorn worker processes")
@click.option("--threads", default=8, show_default=True, help="threads per worker")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Run the kiosk (gunicorn) and the background worker (huey) until Ctrl+C or SIGTERM.

    One process with threads by default: rate limits are counted in its memory, once. More
    worker processes need a shared count (KIOSK_RATELIMIT_STORAGE_URL=redis://...)."""
    from kiosk.demo import DEMO_STAFF_PASSWORD, DEMO_VOLUNTEER_CODE

    if workers > 1 and current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
        raise click.ClickException(
            "with more than one worker process each would count the rate limits on its own:"
            " set KIOSK_RATELIMIT_STORAGE_URL=redis://... or use --threads instead"
        )
    base = f"http://{host}:{port}"
    click.echo(
        "\n".join(
            [
                "",
                "  The claims kiosk is running:",
                f"    kiosk home page      {base}/",
                f"    in English, 特大字    {base}/prefs/lang/en  then  {base}/prefs/size/xl",
                f"    demo volunteer code  {DEMO_VOLUNTEER_CODE}",
                f"    back office          {base}/staff/  (demo-handler, demo-approver,"
                f" demo-admin; password '{DEMO_STAFF_PASSWORD}')",
                f"    data folder          {current_app.config['DATA_DIR']}",
                "  Press Ctrl+C to stop (the web server and the worker both stop).",
                "",
            ]
        )
    )
    bindir = os.path.dirname(sys.executable)
    worker_command = [os.path.join(bindir, "huey_consumer"), "kiosk.worker.huey"]
    web_command = [
        os.path.join(bindir, "gunicorn"),
        "kiosk.wsgi:app",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--graceful-timeout={int(STOP_WITHIN) - 2}",
        f"--keep-alive={KEEP_ALIVE}",
        "--access-logfile=-",
    ]
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        signal.signal(getattr(signal, name), _stop_serving)
    children: list[subprocess.Popen[bytes]] = []
    try:
        children.append(subprocess.Popen([*worker_command, "-k", "thread", "-w", "2"]))
        children.append(subprocess.Popen(web_command, env=os.environ | WEB_PROCESS_ENVIRONMENT))
        os.waitpid(-1, 0)  # until a child ends (then the other is stopped too) or a signal
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        _stop_children(children)


def _stop_children(children: list[subprocess.Popen[bytes]]) -> None:
    """Gunicorn finishes its requests on SIGTERM, huey its jobs on SIGINT; whatever still runs
    after STOP_WITHIN seconds is killed."""
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    for child, how in zip(children, (signal.SIGINT, signal.SIGTERM), strict=False):
        if child.poll() is None:
            child.send_signal(how)
    deadline = time.monotonic() + STOP_WITHIN
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


volunteer = AppGroup("volunteer", help="Volunteer codes for the kiosk (staff issue them).")


@volunteer.command("issue")
@click.argument("name")
@click.option("--community", default="", help="社区 or 街道 the volunteer belongs to")
def volunteer_issue(name: str, community: str) -> None:
    """Issue a volunteer code; it is shown once, only its hash is kept."""
    from kiosk.services.volunteers import issue_volunteer

    record, code = issue_volunteer(name.strip(), community.strip())
    click.echo(
        f"volunteer {record.id} {record.name}: code {code} (shown once; give it to them now)"
    )


@volunteer.command("list")
def volunteer_list() -> None:
    """Every volunteer, with whether their code still works."""
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import Volunteer

    for v in db.session.scalars(sa.select(Volunteer).order_by(Volunteer.id)):
        status = f"revoked {v.revoked_at:%Y-%m-%d}" if v.revoked_at else "active"
        click.echo(f"{v.id}\t{v.name}\t{v.community}\t{status}")


@volunteer.command("revoke")
@click.argument("volunteer_id", type=int)
def volunteer_revoke(volunteer_id: int) -> None:
    """Stop a volunteer's code from working."""
    from kiosk.services.volunteers import revoke_volunteer

    if not revoke_volunteer(volunteer_id):
        raise click.ClickException(f"no active volunteer {volunteer_id}")
    click.echo(f"volunteer {volunteer_id}: code revoked")


staff = AppGroup("staff", help="Back-office accounts (handler, approver, admin).")


@staff.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["handler", "approver", "admin"]), required=True)
@click.option("--name", "display_name", default="", help="the name shown to colleagues")
@click.option("--branch", default="", help="the branch the account works for")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def staff_create(
    username: str, role: str, display_name: str, branch: str, password_stdin: bool
) -> None:
    """Create an account; without --password-stdin a one-time password is printed, to be
    changed at first login."""
    from kiosk.platform.models import StaffRole
    from kiosk.services.accounts import create_staff

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        account, generated = create_staff(
            username, StaffRole(role), display_name=display_name, password=password, branch=branch
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"staff {account.id} {account.username} ({role}) created")
    if generated:
        click.echo(f"one-time password: {generated} (shown once; to be changed at first login)")


@staff.command("list")
def staff_list() -> None:
    """Every account, with its role and whether it is active."""
    import sqlalchemy as sa

    from kiosk.platform.extensions import db
    from kiosk.platform.models import StaffUser

    for a in db.session.scalars(sa.select(StaffUser).order_by(StaffUser.id)):
        state = "active" if a.active else "inactive"
        click.echo(f"{a.id}\t{a.username}\t{a.role.value}\t{a.display_name}\t{state}")


branch = AppGroup("branch", help="The district's branches (service points).")


def _branch_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--phone", help="the phone printed on receipts, e.g. 0754-87000000"),
            click.option("--address", help="where the branch is"),
            click.option(
                "--hours", "opening_hours", help="opening hours, e.g. 周一至周五 8:30-17:30"
            ),
            click.option("--district", help="the district whose policy it serves"),
        ]
    ):
        command = option(command)
    return command


@branch.command("add")
@click.argument("name")
@_branch_options
def branch_add(name: str, **fields: str | None) -> None:
    """Add a branch; --phone is needed."""
    from kiosk.services.branches import BranchDetails, BranchProblem, add_branch

    with _refused_plainly(BranchProblem):
        added = add_branch(BranchDetails(name=name, **fields))
    click.echo(f"branch {added.id} {added.name} added")


@branch.command("edit")
@click.argument("name")
@click.option("--name", "new_name", help="a new name")
@_branch_options
def branch_edit(name: str, new_name: str | None, **fields: str | None) -> None:
    """Change what is given of the branch called NAME."""
    from kiosk.services.branches import BranchDetails, BranchProblem, edit_branch

    with _refused_plainly(BranchProblem):
        changed = edit_branch(name, BranchDetails(name=new_name, **fields))
    click.echo(f"branch {changed.id} {changed.name} changed")


@branch.command("list")
def branch_list() -> None:
    """Every branch: id, name, phone, district, address, hours, tab-separated."""
    from kiosk.services.branches import branches

    for b in branches():
        click.echo("\t".join([str(b.id), b.name, b.phone, b.district, b.address, b.opening_hours]))


roster = AppGroup("roster", help="The civil-affairs bureau's list of insured residents.")


@roster.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="check the file and report; change nothing")
def roster_import(file: Any, dry_run: bool) -> None:
    """Make the roster the list in FILE (CSV, UTF-8 or GBK: 身份证号码, 姓名, 户籍地址,
    列入日期). Nothing is imported while any row is refused; each is named with the problem."""
    from kiosk.services.roster import import_roster

    report = import_roster(file.read(), today_in_china(), dry_run=dry_run)
    for line in report.refused:
        click.echo(line, err=True)
    click.echo(report.summary())
    if report.refused:
        raise SystemExit(1)


device = AppGroup("device", help="Tablets enrolled to a branch.")


@device.command("enrol-code")
@click.argument("branch_name", metavar="BRANCH")
@click.option("--name", "device_name", default="", help="what the tablet will be called")
def device_enrol_code(branch_name: str, device_name: str) -> None:
    """A one-time code (valid 24 hours) for a tablet of BRANCH to type at /enrol; the code
    is the last word printed."""
    from kiosk.services.branches import branch_named
    from kiosk.services.devices import make_enrol_code

    found = branch_named(branch_name)
    if found is None:
        raise click.ClickException(f"no branch named {branch_name!r} (see: branch list)")
    made = make_enrol_code(found, device_name)
    until = made.expires_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
    click.echo(f"{made.device_name} at {made.branch}, open /enrol before {until}: {made.code}")


@device.command("list")
def device_list() -> None:
    """Every device: id, branch, name, last contact (China time), revoked, printer,
    tab-separated."""
    from kiosk.services.devices import devices

    for d in devices():
        seen = d.last_seen_at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        revoked = "revoked" if d.revoked_at else "enrolled"
        click.echo("\t".join([str(d.id), d.branch.name, d.name, seen, revoked, d.printer]))


@device.command("rename")
@click.argument("device_id", type=int)
@click.argument("name")
def device_rename(device_id: int, name: str) -> None:
    from kiosk.services.devices import DeviceProblem, rename

    with _refused_plainly(DeviceProblem):
        changed = rename(device_id, name)
    click.echo(f"device {changed.id} is now {changed.name}")


@device.command("printer")
@click.argument("device_id", type=int)
@click.argument("url", default="")
def device_printer(device_id: int, url: str) -> None:
    """The tablet's own receipt printer, tcp://host:9100 or usb://04b8:0202; no URL: the
    kiosk's KIOSK_PRINTER."""
    from kiosk.services.devices import DeviceProblem, set_printer

    with _refused_plainly(DeviceProblem):
        changed = set_printer(device_id, url)
    click.echo(f"device {changed.id} prints to {changed.printer or 'KIOSK_PRINTER'}")


@device.command("revoke")
@click.argument("device_id", type=int)
def device_revoke(device_id: int) -> None:
    """At once: the tablet's next page is 此平板还没有登记."""
    from kiosk.services.devices import DeviceProblem, revoke

    with _refused_plainly(DeviceProblem):
        revoked = revoke(device_id)
    click.echo(f"device {revoked.id} {revoked.name} revoked")


policy = AppGroup("policy", help="The district's policies, year by year.")


@policy.command("load")
@click.argument("file", type=click.File("rb"))
def policy_load(file: Any) -> None:
    """Load a reviewed policy file (TOML: district, period, region codes, premium, insured,
    every term). The same period again is a correction: a new version, audited."""
    from kiosk.claims.policies import PolicyFileProblem
    from kiosk.services.policies import load_policy

    with _refused_plainly(PolicyFileProblem, prefix=f"{file.name}: "):
        loaded = load_policy(file.read())
    click.echo(loaded.summary())


@policy.command("list")
def policy_list() -> None:
    """Each district's periods in their newest version: district, start, end, version,
    insured, premium per person, tab-separated."""
    from kiosk.services.policies import newest_versions

    for p in newest_versions():
        fields = [p.district, p.starts_on, p.ends_on, p.version, p.insured, p.premium_per_person]
        click.echo("\t".join(str(f) for f in fields))


keys = AppGroup("keys", help="The encryption keys.")


@keys.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every encrypted value and stored file under the newest key (the first of
    KIOSK_ENCRYPTION_KEY). Safe to run while the kiosk runs, and again if interrupted."""
    from kiosk.services.keys import rotate_keys

    report = rotate_keys(lambda where: click.echo(f"  ... {where}", err=True))
    for line in report.lines():
        click.echo(line)
    click.echo(
        "done: everything is under the newest key. Before removing the oldest key, set "
        "KIOSK_LOOKUP_KEY on every machine to the value in <DATA_DIR>/lookup_key if it is "
        "not set yet; then the oldest key can go."
    )


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """A consistent copy of the database and the uploads, with a manifest of checksums, in
    FOLDER (new or empty), while the kiosk runs. The keys are not in it: back them up apart."""
    from kiosk.services.backup import BackupProblem, backup

    with _refused_plainly(BackupProblem):
        made = backup(folder)
    click.echo(made.summary())


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(folder: Path) -> None:
    """Fill this kiosk's empty data folder and empty database from the backup in FOLDER
    (checksums checked first, row counts after); the same keys must be set."""
    from kiosk.services.backup import BackupProblem, restore

    with _refused_plainly(BackupProblem):
        rows = restore(folder)
    click.echo(f"restored {sum(rows.values())} rows in {len(rows)} tables from {folder}")


retention = AppGroup("retention", help="Cases at the end of their retention period.")


@retention.command("list")
def retention_list() -> None:
    """Closed cases past their period (5 years, 10 for major cases): id, case number, type,
    closed on, kept until, tab-separated."""
    from kiosk.services.retention import expired

    for e in expired(today_in_china()):
        fields = [e.claim_id, e.case_number, e.claim_type, e.closed_on, e.kept_until]
        click.echo("\t".join(str(f) for f in fields))


@retention.command("purge")
@click.option("--confirm", is_flag=True, help="purge every case `retention list` shows")
def retention_purge(confirm: bool) -> None:
    """Delete the photos and personal data of the cases past their period, keeping an
    anonymised row and the audit entry of each purge."""
    from kiosk.services.retention import expired, purge

    if not confirm:
        raise click.ClickException("nothing purged: read `retention list`, then add --confirm")
    today = today_in_china()
    done = purge([e.claim_id for e in expired(today)], today, None)
    click.echo(f"{done} cases purged")


def register_cli(app: Flask) -> None:
    app.cli.add_command(retention)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(keys)
    app.cli.add_command(policy)
    app.cli.add_command(staff)
    app.cli.add_command(branch)
    app.cli.add_command(device)
    app.cli.add_command(roster)
    app.cli.add_command(volunteer)
    app.cli.add_command(demo)
    app.cli.add_command(serve)
