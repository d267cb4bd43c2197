"""Hydra's side: compose configs from ``configs/``, hand a plain `SimConfig` down.

Nothing below this layer knows Hydra exists.  User errors (bad config values,
broken input tables) are printed as one message and exit with status 2,
without a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

import hydra
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, open_dict, read_write

from sim.config.errors import ConfigError, Problem, UserInputError
from sim.config.schema import SimConfig
from sim.config.store import register, to_config
from sim.experiment.config_cache import register_plugins
from sim.experiment.overrides import quote_all, quote_non_ascii


def _register() -> None:
    """Before Hydra composes: the schema (`sim.config.store.register`) and the plugins that read
    each config file once per process (`sim.experiment.config_cache`)."""
    register()
    register_plugins()


def config_dir() -> Path:
    """The ``configs/`` directory: $SIM_CONFIG_DIR, else the one shipped inside the package
    (``sim/configs``; the checkout's top-level ``configs`` links to it)."""
    env = os.environ.get("SIM_CONFIG_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[1] / "configs"
    if not (path / "config.yaml").exists():
        raise FileNotFoundError(f"no config.yaml in {path}: reinstall the package or set SIM_CONFIG_DIR")
    return path


def compose(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with overrides into a `SimConfig` (no run).

    Raises `ConfigError` with one problem when Hydra cannot read or apply an override.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    overrides = list(overrides or [])
    directory = config_dir()
    key = (tuple(overrides), str(directory), _files_state(directory))
    known = _COMPOSE_CACHE.get(key)
    if known is not None:
        _COMPOSE_CACHE.move_to_end(key)
        return known
    _register()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(directory)):
        cfg = hydra_errors(lambda: hydra_compose(config_name="config", overrides=quote_all(overrides)))
    out = to_config(cfg)
    _COMPOSE_CACHE[key] = out
    if len(_COMPOSE_CACHE) > 64:
        _COMPOSE_CACHE.popitem(last=False)
    return out


# Configs composed in this process (a frozen `SimConfig` is shared safely), by overrides and the
# config files' names, sizes and modification times: a notebook or script that runs the same
# scenario again skips Hydra's composition (~0.6 s), and an edited config file composes afresh.
_COMPOSE_CACHE: OrderedDict = OrderedDict()


def _files_state(directory: Path) -> tuple:
    out = []
    for path in sorted(directory.rglob("*.yaml")):
        st = path.stat()
        out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def compose_in_job(overrides: list[str]) -> SimConfig:
    """Compose another scenario from inside a running Hydra job (same search path); a scenario
    `read_command_line` composed already (a policy of ``report.compare``) is not composed again
    (about a second each)."""
    from hydra import compose as hydra_compose

    overrides = quote_all(overrides)
    known = _COMPOSED.get(tuple(overrides))
    if known is not None:
        return known
    return to_config(hydra_errors(lambda: hydra_compose(config_name="config", overrides=overrides)))


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return lines[0] if lines else ""


def _hydra_problem(exc: BaseException) -> Problem:
    """One `Problem` from an exception Hydra or OmegaConf raised while reading overrides."""
    from hydra.errors import MissingConfigException, OverrideParseException
    from omegaconf.errors import OmegaConfBaseException

    if isinstance(exc, MissingConfigException):
        missing = exc.missing_cfg_file or ""
        group, _, name = missing.rpartition("/")
        found = list(exc.options or [])
        if not found and group and GlobalHydra.instance().is_initialized():
            found = GlobalHydra.instance().config_loader().get_group_options(group)
        options = ", ".join(found) or "none"
        if group:
            return Problem(group, name, f"no such config in group {group}; available: {options}")
        return Problem("config", missing, _first_line(exc) + f"; available: {options}")
    if isinstance(exc, OverrideParseException):
        return Problem("override", exc.override,
                       "cannot be read: " + _first_line(exc.message)
                       + " (see python -m sim --help, Overrides)")
    cause = exc.__cause__ or exc.__context__
    message = _first_line(exc)
    if message.startswith("Ambiguous value for argument"):
        line = message.removeprefix("Ambiguous value for argument").strip().strip("'")
        return Problem("override", line, "ambiguous: write a list as key=[a,b], quote a string as "
                       "key='a,b', or sweep with --multirun")
    if message.startswith(("Error merging override", "Could not override", "Could not append to config")) \
            or isinstance(exc, OmegaConfBaseException):
        quoted = re.search(r"'([^']*)'", message) if message.startswith("Could not") else None
        line = quoted.group(1) if quoted else message.removeprefix("Error merging override").strip()
        why = _first_line(cause) if isinstance(cause, OmegaConfBaseException) else ""
        if not why:
            rest = [ln.strip() for ln in str(exc).splitlines()[1:] if ln.strip()]
            why = rest[0] if rest else "cannot be applied"
        if "Key '" in why and "not in" in why:
            why += " (a misspelt field? python -m sim --cfg job prints every field)"
        elif "is not a subclass of" in why and "dict" in why:
            why = "no such list element: an override reaches only elements the list has; give the whole list"
        elif "does not support deletion" in why:
            why = "a field of the schema cannot be deleted; set a value instead"
        return Problem("override", line, why)
    return Problem("override", "", message)


def hydra_errors(fn):
    """Run ``fn`` (a Hydra composition); raise Hydra's and OmegaConf's input errors as `ConfigError`."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    try:
        return fn()
    except (HydraException, OmegaConfBaseException) as exc:
        raise ConfigError([_hydra_problem(exc)]) from None
    except ValueError as exc:  # Hydra raises ValueError for some malformed overrides ("=5")
        raise ConfigError([Problem("override", "", _first_line(exc))]) from None


def sibling_overrides(task_overrides: list[str], policy: str) -> list[str]:
    """The job's overrides with its policy choice replaced by ``policy``."""
    keep = [o for o in task_overrides
            if not o.lstrip("+~").startswith(("policy=", "policy.", "hydra."))]
    return keep + [f"policy=[{policy}]"]


def job_context() -> tuple[Path, list[str]]:
    """(output dir, task overrides) of the running Hydra job."""
    hc = HydraConfig.get()
    return Path(hc.runtime.output_dir), list(hc.overrides.task)


def sweep_context() -> tuple[Path, bool] | None:
    """(sweep dir, whether the launcher runs jobs in parallel) under multirun, else None."""
    from hydra.types import RunMode

    hc = HydraConfig.get()
    if hc.mode != RunMode.MULTIRUN:
        return None
    target = str(hc.launcher.get("_target_", ""))
    return Path(hc.sweep.dir), "BasicLauncher" not in target


def report_errors(fn):
    """Run ``fn``; print a user's mistake as one message and exit 2, without a traceback."""
    try:
        return fn()
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def hydra_app(job):
    """Wrap ``job(cfg: SimConfig)`` as the Hydra entry point over ``configs/``."""
    _register()

    def task(cfg: DictConfig):
        return job(to_config(cfg))

    return hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")(task)


_PRINT_ONLY = ("help", "hydra_help", "cfg", "info", "shell_completion", "version", "experimental_rerun")
MAX_CHECKED_JOBS = 1000
_CHECKERS: dict = {}   # Hydra instances by search path, reused within a process
_COMPOSED: dict = {}   # the configs the last `read_command_line` composed and validated, by overrides


@dataclass(frozen=True)
class CommandLine:
    """The command line as Hydra will read it, and every job it would run, composed and valid."""

    argv: list[str]                          # non-ASCII plain values quoted (county.name_zh=石门县)
    multirun: bool
    jobs: list[tuple[list[str], SimConfig]]  # each job's overrides and its validated config




def _job_label(job: list[str], sweep_keys: set[str]) -> str:
    return " ".join(o for o in job if o.split("=", 1)[0].lstrip("+~") in sweep_keys)


def read_command_line(argv: list[str], check=None) -> CommandLine | None:
    """Read ``argv`` as ``python -m sim`` will, compose every job and validate it, before anything runs.

    ``check(cfg, compose)`` adds the checks of the layers above (references to KPIs); it gets
    a function composing other overrides on the same search path.  Returns None when Hydra only
    prints (``--help``, ``--cfg``, ...).  Raises `ConfigError` naming the first job that fails,
    with every problem of that job.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path, get_args_parser
    from hydra.core.config_search_path import SearchPathQuery
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.types import RunMode

    from sim.config.validate import validate

    _COMPOSED.clear()
    args = get_args_parser().parse_args(argv)   # a malformed flag: argparse's usage line, exit 2
    if any(getattr(args, name, None) for name in _PRINT_ONLY):
        return None
    quoted = {o: quote_non_ascii(o) for o in args.overrides}
    argv = [quoted.get(a, a) for a in argv]
    overrides = [quoted[o] for o in args.overrides]
    parsed = hydra_errors(lambda: OverridesParser.create().parse_overrides(overrides))
    for o in parsed:
        if not o.key_or_group:
            raise ConfigError([Problem("override", o.input_line, "has no key: write key=value")])
    sweeps = {o.key_or_group for o in parsed if o.is_sweep_override()}
    if args.multirun and not any(o.key_or_group == "hydra/sweeper" for o in parsed):
        jobs = [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]
    else:
        jobs = [[o.input_line for o in parsed if not (args.multirun and o.is_sweep_override())]]
    _register()
    main_dir = Path(args.config_path).resolve() if args.config_path else config_dir()
    search = create_config_search_path(f"file://{main_dir}")
    if args.config_dir is not None:
        extra = Path(args.config_dir).resolve()
        if not extra.is_dir():
            raise ConfigError([Problem("--config-dir", str(extra), "no such directory")])
        search.prepend(provider="command-line", path=f"file://{extra}",
                       anchor=SearchPathQuery(provider="schema"))
    config_name = args.config_name or "config"
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    key = tuple(str(e) for e in search.get_path())
    if key in _CHECKERS:   # its config repository caches the files it has read
        hydra_ = _CHECKERS[key]
        GlobalHydra.instance().initialize(hydra_)
    else:
        hydra_ = Hydra.create_main_hydra2(task_name="sim", config_search_path=search)
        _CHECKERS[key] = hydra_

    def compose_job(job: list[str]) -> SimConfig:
        cfg = hydra_errors(lambda: hydra_.compose_config(config_name, job, run_mode=RunMode.RUN,
                                                         with_log_configuration=False))
        with read_write(cfg), open_dict(cfg):
            del cfg["hydra"]
        out = validate(to_config(cfg))
        _COMPOSED[tuple(quote_all(job))] = out
        return out

    checked: list[tuple[list[str], SimConfig]] = []
    try:
        for job in jobs[:MAX_CHECKED_JOBS]:
            try:
                cfg = compose_job(job)
                if not args.multirun:
                    _check_compare(cfg, job, compose_job, hydra_)
                if check is not None:
                    problems = check(cfg)
                    if problems:
                        raise ConfigError(problems)
            except ConfigError as exc:
                if len(jobs) > 1:
                    label = _job_label(job, sweeps)
                    raise ConfigError([replace(p, where=f"[{label}] {p.where}")
                                       for p in exc.problems]) from None
                raise
            checked.append((job, cfg))
    finally:
        GlobalHydra.instance().clear()
    return CommandLine(argv=argv, multirun=bool(args.multirun), jobs=checked)


def _check_compare(cfg: SimConfig, job: list[str], compose_job, hydra_) -> None:
    """Every policy of ``report.compare`` exists and composes into a valid scenario."""
    if not cfg.report.compare:
        return
    available = hydra_.config_loader.get_group_options("policy")
    problems = [Problem(f"report.compare[{i}]", p, "no such policy; available: " + ", ".join(available))
                for i, p in enumerate(cfg.report.compare) if p not in available]
    if problems:
        raise ConfigError(problems)
    for i, policy in enumerate(cfg.report.compare):
        try:
            compose_job(sibling_overrides(job, policy))
        except ConfigError as exc:
            raise ConfigError([replace(p, where=f"report.compare[{i}] ({policy}): {p.where}")
                               for p in exc.problems]) from None
