"""The static world: county, villages, facilities and travel times."""

from sim.config.schema import CountyConfig
from sim.world.county import AGE_BANDS, FACILITY_KINDS, TERRAINS, County, Facilities, Villages
from sim.world.county_file import COUNTY_FILE, county_config, explicit_fields
from sim.world.generator import generate_county
from sim.world.travel import MODES, Travel


def build_county(cfg: CountyConfig) -> County:
    """The county a config describes: loaded from ``cfg.source`` if set, else generated.

    A loaded county takes its name and settings from ``cfg`` as given: pass it through
    `county_config` first for those of its tables' ``county.yaml`` (`sim.run` and the CLI do).
    """
    if cfg.source:
        from sim.world.loader import load_county

        return load_county(cfg.source, cfg)
    return generate_county(cfg)


def __getattr__(name: str):
    # the table loader (and pandas with it) is imported on first use: workers never need it
    if name in ("load_county", "write_county"):
        from sim.world import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'sim.world' has no attribute {name!r}")


__all__ = ["AGE_BANDS", "COUNTY_FILE", "FACILITY_KINDS", "MODES", "TERRAINS", "County", "Facilities",
           "Travel", "Villages", "build_county", "county_config", "explicit_fields", "generate_county",
           "load_county", "write_county"]
