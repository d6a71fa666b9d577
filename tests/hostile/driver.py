"""Run one `briefgen.pipeline.build` under an audit hook, in a process of its own.

    python driver.py WORKSPACE REPORT.json [SETTINGS-JSON]

SETTINGS is `{"formats": [...], "charts": false, "set": {"briefgen.bounded.SECONDS": 3}}`:
the build options, and module attributes to override first (a shorter render bound, so
that a test of a template that never ends does not wait for the default one). With
`"export": {"target": "templates", "force": true}` it runs `templates export` instead, and
with `"verify": "input/brief.pdf"` it runs `briefgen verify` on that file.

The hook records every file opened (path, mode, flags), every socket operation and every
process started, by this process and by any child it forks, as JSON lines in
REPORT.json.events, written as they happen so that nothing is lost if a child is killed.
REPORT.json then says how the build ended. Exit status: 0 built, 1 BriefgenError (its
message on stderr), 3 any other exception (the traceback on stderr).

A process of its own keeps the hook (which cannot be removed) out of the test run, and
lets the test put a timeout on a build that hangs. The address-space limit only stops a
runaway template from taking the machine down with it; the tool has its own bound.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import traceback
from pathlib import Path

MEMORY_LIMIT = 8 * 2**30

EVENTS = {
    "open",
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "urllib.Request",
    "http.client.connect",
    "smtplib.connect",
    "ftplib.connect",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
}


def main() -> int:
    workspace, report = sys.argv[1], sys.argv[2]
    settings = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.chdir(workspace)

    log = os.open(report + ".events", os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC)
    recording = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event not in EVENTS or not recording[0]:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):
                return  # an already-open descriptor (os.fdopen)
            text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else repr(path)
            entry = [os.getpid(), "open", os.path.abspath(text), mode, flags]
        else:
            entry = [os.getpid(), event, repr(args)[:300]]
        os.write(log, (json.dumps(entry) + "\n").encode())  # os.write raises no audit event

    from briefgen import pipeline  # imported before the hook: the import itself is not the test
    from briefgen.errors import BriefgenError, InvalidNotes

    for name, value in settings.get("set", {}).items():
        module, _, attribute = name.rpartition(".")
        try:
            target = importlib.import_module(module)
        except ImportError:
            continue  # not in this version of briefgen: nothing to override
        if hasattr(target, attribute):
            setattr(target, attribute, value)

    sys.addaudithook(hook)
    result: dict[str, object] = {"pid": os.getpid()}
    status = 0
    try:
        if settings.get("export"):  # `briefgen templates export` instead of a build
            from briefgen import customize

            export = settings["export"]
            customize.export(Path(export["target"]), force=export.get("force", False))
            result["written"], result["warnings"] = [], []
        elif settings.get("verify"):  # `briefgen verify FILE`: exit 1 when it does not hold
            from briefgen.verify import verify

            report = verify(Path(settings["verify"]))
            result["written"], result["warnings"] = [], []
            if not report.ok:
                raise BriefgenError("\n".join(report.lines()))
        else:
            options = {key: settings[key] for key in ("formats", "charts") if key in settings}
            built = pipeline.build([], pipeline.BuildOptions(**options))
            result["written"] = [str(path) for path in built.written]
            result["warnings"] = built.warnings
    except BriefgenError as error:
        status = 1
        result["error"] = error.format_message()
        result["error_type"] = type(error).__name__
        result["invalid_notes"] = isinstance(error, InvalidNotes)
        print(error.format_message(), file=sys.stderr)
    except BaseException as error:  # the point is to report any other kind
        status = 3
        result["error"] = f"{type(error).__name__}: {error}"[:2000]
        result["error_type"] = type(error).__name__
        traceback.print_exc()
    recording[0] = False
    with open(report, "w", encoding="utf-8") as stream:
        json.dump(result, stream)
    return status


if __name__ == "__main__":
    sys.exit(main())
