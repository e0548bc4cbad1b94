"""The facts a policy may read: facility-input contract v1, plus documented additions.

The checker uses this table to resolve ``facility.x.y`` and ``period.x.y`` and to know
their types and dimensions; the facility loader uses the same table to validate YAML.
Fields marked ``added=True`` are project additions to the contract (see docs/facility.md).
"""

from __future__ import annotations

from .data import frozen
from . import units
from .units import Dimension


@frozen
class FactType:
    kind: str  # quantity | ratio | number | integer | flag | date | text | enum | slug | country | subdivision | siret
    dimension: Dimension = units.NUMBER
    values: tuple[str, ...] = ()
    meaning: str = ""
    added: bool = False
    minimum: float | None = None
    # The value a fact takes when the file leaves it out; None: absent means unknown. Only flags have
    # one: contract v1 says "Flags (the bool fields) are false when absent", and gives `full_period`
    # "default true". The facility loader fills it in.
    default: object = None

    @property
    def value_range(self) -> tuple[float, float] | None:
        """The range the contract allows a number fact; what a missing one is known to lie in."""
        if self.kind == "quantity":
            return None if self.dimension == units.TEMPERATURE else (0.0, float("inf"))
        if self.kind == "ratio":
            return (0.0, 1.0)
        if self.kind in ("number", "integer") and self.minimum is not None:
            return (float(self.minimum), float("inf"))
        return None

    @property
    def describe(self) -> str:
        if self.kind == "quantity":
            return f"{self.dimension.name} (e.g. \"{units.example_for(self.dimension)}\")"
        if self.kind == "enum":
            return "one of " + ", ".join(self.values)
        return {
            "ratio": 'ratio in [0, 1] (e.g. 0.55 or "55%")',
            "number": "number",
            "integer": "whole number",
            "flag": "true or false",
            "date": "date YYYY-MM-DD",
            "text": "text",
            "slug": "identifier [a-z0-9][a-z0-9._-]*",
            "country": "ISO 3166-1 alpha-2 country code",
            "subdivision": "ISO 3166-2 subdivision code (e.g. CN-SH)",
            "siret": "SIRET number: 14 digits (spaces allowed)",
        }[self.kind]


def _q(dim: Dimension, meaning: str = "", added: bool = False) -> FactType:
    return FactType("quantity", dim, meaning=meaning, added=added)


def _k(kind: str, meaning: str = "", added: bool = False, **kw) -> FactType:
    if kind == "flag":
        kw.setdefault("default", False)
    return FactType(kind, meaning=meaning, added=added, **kw)


def _e(*values: str, meaning: str = "") -> FactType:
    return FactType("enum", values=values, meaning=meaning)


FACILITY_FIELDS: dict[str, FactType] = {
    "id": _k("slug", "unique id within a portfolio"),
    "name": _k("text", "name of the data centre"),
    "owner": _k("text", "name of the owner"),
    "operator": _k("text", "name of the operator"),
    "operator_id": _k("slug", "groups facilities of one operator"),
    "contact": _k("text", "contact details of owner/operator (EU Annex I)", added=True),
    "main_use": _k("text", "main use of the DC (JP report item 5-2)", added=True),
    "colocated_dcs": _k("text", "names of co-located DCs (JP report item 1-2)", added=True),
    "intensity_metric": _k("text", "self-set energy-intensity metric (JP report item 11)", added=True),
    "location.country": _k("country"),
    "location.subdivision": _k("subdivision", "ISO 3166-2 code of the region, e.g. CN-SH (regional rules; "
                                              "policy eval -j home)", added=True),
    "location.municipality": _k("text"),
    "location.postal_code": _k("text"),
    "location.lau": _k("text"),
    "location.nuts3": _k("text"),
    "location.hub_node": _k("text", "China: national computing hub node"),
    "location.cluster": _k("text", "China: national data-centre cluster"),
    "type": _e("enterprise", "colocation", "co_hosting"),
    "jp_business_type": _e("housing", "hosting_owner", "hosting_tenant"),
    "started": _k("date", "start of operation"),
    "project": _e("new", "expanded", "renovated", "existing"),
    "public_sector": _k("flag"),
    "defence_or_civil_protection": _k("flag", "EU Art. 12(2): used for, or providing services exclusively for, "
                                              "defence and civil protection (one flag for both)"),
    # §21 EnEfG and EED Art. 12(2) each name their own groups: one flag per group (docs/facility.md)
    "intelligence_service": _k("flag", "DE §21(1) Nr. 1: a DC of the Verfassungsschutz, the MAD or the BND",
                               added=True),
    "defence": _k("flag", "used for, or providing services exclusively for, defence: armed forces, facilities "
                          "operated directly for defence (DE §21(1) Nr. 2; EU Art. 12(2))", added=True),
    "civil_protection": _k("flag", "used for, or providing services exclusively for, civil protection "
                                   "(EU Art. 12(2); no DE §21 exclusion)", added=True),
    "nuclear_installation": _k("flag", "DE §21(1) Nr. 3: part of a nuclear installation subject to the AtomG",
                               added=True),
    "network_node": _k("flag"),
    "converted_building": _k("flag"),
    "phased_development.first_building_started": _k("date"),
    "planned_decommissioning": _k("date"),
    "power.it_installed": _q(units.POWER, "EU P_DIT"),
    "power.nominal_connected": _q(units.POWER, "DE non-redundant nominal connected load"),
    "power.it_nominal_connected": _q(units.POWER, "DE IT nominal connected load"),
    "power.rated_energy_input": _q(units.POWER, "EU Art. 26(6) total rated energy input"),
    "power.contracted": _q(units.POWER),
    "power.max_receiving": _q(units.POWER),
    "area.total_floor": _q(units.AREA),
    "area.computer_room": _q(units.AREA),
    "racks.standard": _k("integer", minimum=0),
    "racks.installed": _k("integer", minimum=0),
    "racks.occupied": _k("integer", minimum=0),
    "redundancy.electrical": _k("text"),
    "redundancy.cooling": _k("text"),
    "design_pue": _k("number", minimum=1.0),
    # an explicit null (contract v1) states that there is no system and is read as "none" (a project
    # synonym, evaluator/fields.py NULL_MEANS); only an absent key is unknown
    "management_system.standard": _e("ISO 50001", "EMAS", "none"),
    "management_system.since": _k("date"),
    "management_system.certified": _k("flag"),
    "erf_exemption": _e("no_fault", "heat_network_agreement", "offer_declined"),
    "heat_recovery_infeasible": _k("flag"),
    # issue 13, Beijing (cn_bj): the planned annual energy of a new or expanded project at its energy review
    # (节能审查). tce figures name their basis for electricity: 当量值 (calorific) or 等价值 (equivalent).
    "design_energy.electricity": _q(units.ENERGY, "CN-BJ: planned annual electricity (年电力消费量)", added=True),
    "design_energy.tce_calorific": _q(units.COAL, "CN-BJ: planned annual energy in tce, electricity at 当量值",
                                      added=True),
    "design_energy.tce_equivalent": _q(units.COAL, "CN-BJ: planned annual energy in tce, electricity at 等价值",
                                       added=True),
    # ---- Ireland (issue 13, policies/ie.policy): grid connection under CRU/2025/236; docs/facility.md
    "grid.application": FactType("enum", values=("new_connection", "mic_increase", "none"), added=True,
                                 meaning="IE: the connection application the facility made (none: it made none)"),
    "grid.application_date": _k("date", "IE: day the connection application was received", added=True),
    "grid.connection_date": _k("date", "IE: day the connection (or MIC increase) applied for is energised (before then: "
                                                "the date the connection offer programmes)", added=True),
    "grid.mic": _q(units.APPARENT_POWER, "IE: Maximum Import Capacity applied for (after an increase, the whole MIC)",
                   added=True),
    "grid.previous_mic": _q(units.APPARENT_POWER, "IE: MIC before the increase applied for; absent for a new "
                                                  "connection", added=True),
    "grid.project_mic": _q(units.APPARENT_POWER, "IE: MIC of the whole project when it is split across several "
                                                 "applications (anti-splitting)", added=True),
    "grid.power_factor": _k("ratio", "IE: power factor declared for the MIC (real power = MIC × power factor)",
                            added=True),
    "dispatchable.capacity_derated": _q(units.POWER, "IE: de-rated dispatchable on-site/proximate generation and "
                                                     "storage", added=True),
    "dispatchable.proximate": _k("flag", "IE: the dispatchable plant is on site or proximate (electrically close)",
                                 added=True),
    "dispatchable.sem": _k("flag", "IE: the dispatchable plant participates in the Single Electricity Market",
                           added=True),
    "dispatchable.separately_metered": _k("flag", "IE: the dispatchable plant is separately connected and metered",
                                          added=True),
    # ---- Singapore (issue 13, policies/sg.policy): allocation conditions, certifications, water; docs/facility.md
    "allocation.scheme": FactType("enum", values=("sg-dc-cfa-pilot", "sg-dc-cfa2", "none"), added=True,
                                  meaning="SG: the capacity-allocation call whose conditions bind the facility"),
    "allocation.awarded": _k("date", "SG: day the capacity was allocated", added=True),
    "pue_at_full_it_load": _k("number", "SG: PUE at 100 % IT load (design/commissioning point, not annual)",
                              added=True, minimum=1.0),
    "pue_at_quarter_it_load": _k("number", "SG: PUE at 25 % IT load (Green Mark 2024 measure)", added=True,
                                 minimum=1.0),
    "certification.green_mark_dc.version": _k("text", "SG: version of the BCA-IMDA Green Mark for Data Centres "
                                                      "criteria, e.g. 2024", added=True),
    "certification.green_mark_dc.level": FactType("enum", values=("certified", "gold", "goldplus", "platinum"),
                                                  added=True, meaning="SG: Green Mark for Data Centres rating"),
    "certification.green_mark_dc.valid_until": _k("date", "SG: last day the Green Mark certificate is valid",
                                                  added=True),
    "standards.ss_715_2025": _k("flag", "SG: IT equipment complies with SS 715:2025", added=True),
    "water_efficiency.records_submitted": _k("flag", "SG PUB: records of water supplied in the previous year "
                                                     "submitted", added=True),
    "water_efficiency.plan_submitted": _k("flag", "SG PUB: Water Efficiency Management Plan submitted", added=True),
    "water_efficiency.meters_installed": _k("flag", "SG PUB: private water meters at key usage areas", added=True),
    "water_efficiency.manager_appointed": _k("flag", "SG PUB: at least one Water Efficiency Manager appointed",
                                             added=True),
    "power.critical_it_load": _q(units.POWER, "SG draft DIB: critical (IT) load", added=True),
    "licences.sg_dc_licence": _k("flag", "SG draft DIB: holds a data-centre licence", added=True),
    "licences.sg_major_fdi_licence": _k("flag", "SG draft DIB: holds a major FDI licence", added=True),
    # ---- issue 13, France (fr) and the Netherlands (nl): docs/facility.md "France and the Netherlands"
    "siret": _k("siret", "FR establishment number (14 digits); D. 236-1 II assesses 500 kW per SIRET", added=True),
    "vital_importance_operator": _k("flag", "FR: the operator is an operator of vital importance designated under "
                                            "code de la défense R. 1332-4 / R. 1332-22 (L. 236-1 II 1°)", added=True),
    "power.server_rooms_installed": _q(units.POWER, "FR L. 236-1 II: installed power of this facility's server rooms "
                                                    "and IT operation centres", added=True),
    "power.siret_server_rooms_installed": _q(units.POWER, "FR D. 236-1 II: the same power summed over every facility "
                                                          "of the facility's SIRET establishment", added=True),
    "best_practice_programme": FactType("enum", values=("eu_coc", "other_recognised", "none"), added=True,
                                        meaning="FR CIBS L. 312-70 5°: the operator's recognised best-practice "
                                                "programme"),
    "filings.fr_declaration": _k("date", "FR D. 236-2: date the declaration was sent to the energy minister",
                                 added=True),
    "energy_saving.measures_5y": FactType("enum", values=("all_taken", "some_missing"), added=True,
                                          meaning="NL: every energy-saving measure with a payback of five years or "
                                                  "less taken (Bal §5.4.1; Activiteitenbesluit 2.15(1))"),
    "filings.nl_information": _k("date", "NL information duty: date the report on measures taken was filed",
                                 added=True),
    "filings.nl_research": _k("date", "NL research duty: date the research report was filed", added=True),
    "filings.nl_implementation_plan": _k("date", "NL research duty: date the implementation plan was filed",
                                         added=True),
    # ---- issue 13, California (us_ca): the building permit; docs/facility.md "California"
    "permit.application_date": _k("date", "US-CA: day the building-permit application was submitted (selects the "
                                          "Title 24 edition)", added=True),
    "permit.kind": FactType("enum", values=("new_construction", "addition", "alteration"), added=True,
                            meaning="US-CA: what the permit is for (Title 24: new construction, addition, alteration)"),
    "building.economizers": FactType("enum", values=("present", "none"), added=True,
                                     meaning="US-CA §140.9(a)1 Exception 1: whether the building has any economizers"),
}

PERIOD_FIELDS: dict[str, FactType] = {
    "full_period": _k("flag", "operated throughout the period (default true)", default=True),
    "energy.total": _q(units.ENERGY, "E_DC"),
    "energy.it": _q(units.ENERGY, "E_IT"),
    "energy.renewable": _q(units.ENERGY, "E_RES-TOT"),
    "energy.renewable_goo": _q(units.ENERGY),
    "energy.renewable_ppa": _q(units.ENERGY),
    "energy.renewable_onsite": _q(units.ENERGY),
    "energy.reused": _q(units.ENERGY, "E_REUSE"),
    "energy.reused_via_heat_network": _q(units.ENERGY, "DE §12(4): reused energy taken up by a heat network", added=True),
    "energy.backup_generation": _q(units.ENERGY),
    "energy.grid_purchase": _q(units.ENERGY, "DE Anlage 3 2a", added=True),
    "energy.grid_feed_back": _q(units.ENERGY, "DE Anlage 3 2a", added=True),
    "energy.crude_oil_equivalent": _q(units.OIL, "JP crude-oil equivalent"),
    # issue 13, Beijing (cn_bj): electricity alone (the 5 GWh tests) and energy in tce on each basis
    "energy.electricity": _q(units.ENERGY, "CN-BJ: electricity consumed (全年电力能源消耗量)", added=True),
    "energy.tce_calorific": _q(units.COAL, "CN-BJ: energy in tce, electricity at 当量值 (calorific)", added=True),
    "energy.tce_equivalent": _q(units.COAL, "CN-BJ: energy in tce, electricity at 等价值 (equivalent)", added=True),
    # ---- Ireland (issue 13): additional renewable electricity generated in Ireland (CRU/2025/236 80 % rule)
    "energy.renewable_additional_domestic": _q(units.ENERGY, "IE: additional (new) renewable electricity generated "
                                                             "in Ireland, matched to the DC over the year", added=True),
    # ---- Singapore (issue 13): energy from eligible green pathways (DC-CFA2 50 % condition)
    "energy.green_pathway": _q(units.ENERGY, "SG: energy from eligible green pathways (DC-CFA2)", added=True),
    "water.input": _q(units.VOLUME),
    "water.potable": _q(units.VOLUME),
    "waste_heat.temperature": _q(units.TEMPERATURE),
    "waste_heat.to_environment": _q(units.ENERGY, "DE Anlage 3 2c", added=True),
    "waste_heat.to_environment_temperature": _q(units.TEMPERATURE, "DE Anlage 3 2c", added=True),
    "temperature_set_point": _q(units.TEMPERATURE),
    "data.traffic_in": _q(units.DATA),
    "data.traffic_out": _q(units.DATA),
    "data.stored": _q(units.DATA),
    "data.processed": _q(units.DATA),
    "cooling_efficiency": _k("number", "DE Anlage 3 2h, CER per DIN EN 50600-4-7", added=True),
    "it_utilisation": _k("ratio"),
    "low_utilisation_cause": _k("flag"),
    "rack_utilisation": _k("ratio"),
    "intensity": _k("number"),
    # ---- issue 13, France (fr) and the Netherlands (nl): docs/facility.md "France and the Netherlands"
    # energy.electricity (added for cn_bj above) is read by fr and nl too
    "waste_heat.offtake": FactType("enum", values=("heat_or_cold_network", "on_site", "other", "none"), added=True,
                                   meaning="where the waste heat went in the period (FR CIBS L. 312-70 6°)"),
    "excise.fr_efficiency_indicator": FactType("enum", values=("met", "not_met"), added=True,
                                               meaning="FR CIBS L. 312-70 6°: the decree's multi-year "
                                                       "power-efficiency indicator"),
    "filings.fr_annual_transmitted": _k("date", "FR D. 236-3 I: date this period's information was transmitted",
                                        added=True),
    "filings.fr_annual_published": _k("date", "FR D. 236-3 I: date this period's information was made public",
                                      added=True),
    "gas.natural_gas_equivalent": _q(units.VOLUME, "NL: natural gas (equivalent) used in the period, m3", added=True),
    "filings.nl_dc_disclosure": _k("date", "NL Bal §5.4.1a: date this period's data-centre data were reported",
                                   added=True),
}

# Facts every period has, derived from its label rather than read from YAML.
PERIOD_INTRINSICS: dict[str, FactType] = {
    "start": _k("date", "first day of the period"),
    "end": _k("date", "last day of the period"),
}

OPERATOR_FIELDS: dict[str, FactType] = {
    "facility_count": _k("integer", "number of facilities of the operator in the input"),
}


def lookup(root: str, path: str) -> FactType | None:
    table = {"facility": FACILITY_FIELDS, "period": {**PERIOD_FIELDS, **PERIOD_INTRINSICS}}.get(root, {})
    return table.get(path)


def suggest(root: str, path: str) -> str | None:
    table = {"facility": FACILITY_FIELDS, "period": {**PERIOD_FIELDS, **PERIOD_INTRINSICS}}.get(root, {})
    import difflib  # only a misspelling needs it

    close = difflib.get_close_matches(path, list(table), n=1, cutoff=0.6)
    if not close:
        leaf = path.rsplit(".", 1)[-1]
        close = [k for k in table if k.rsplit(".", 1)[-1] == leaf][:1]
    return close[0] if close else None
