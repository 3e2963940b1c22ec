"""Instrument registry and scoring (BRIEF §7; issue 5 items 1, 2, 7): worked examples computed by hand from each
instrument's scoring rule, answer errors that name the item, change labels, and the loader's errors."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from neuromotrix.catalog.instruments import INSTRUMENTS_DIR, load_instruments
from neuromotrix.catalog.loader import CatalogError
from neuromotrix.domain.errors import InvalidRequest
from neuromotrix.domain.exercise import Text
from neuromotrix.domain.instruments import (
    AnswerError,
    ChangeLabel,
    ChangeThreshold,
    Instrument,
    Scale,
    UnknownInstrument,
    classify_change,
    score,
)

INTERFACE_KEYS = (
    "pain_nrs", "pgic", "rand36", "chair_stand_30s", "tug", "walk_10m", "walk_6min", "berg", "dystonia_diary",
    "twstrs", "twstrs2", "cdip58", "pdq39", "pdq8", "mds_updrs_1", "mds_updrs_2", "mds_updrs_3", "mds_updrs_4",
)  # fmt: skip
LICENSED = ("twstrs", "twstrs2", "cdip58", "pdq39", "pdq8", "mds_updrs_1", "mds_updrs_2", "mds_updrs_3", "mds_updrs_4")


def get(key: str) -> Instrument:
    return load_instruments().get(key)


def values(instrument: str, answers: Mapping[str, float | None]) -> dict[str, float | None]:
    return {s.key: s.value for s in score(get(instrument), answers).scales}


# --- the registry -------------------------------------------------------------------------------------------------


def test_the_registry_holds_every_instrument_of_the_issue_in_a_stable_order() -> None:
    registry = load_instruments()
    assert set(registry.keys()) == set(INTERFACE_KEYS)
    assert [i.key for i in registry] == list(registry.keys()) == list(load_instruments().keys())
    assert len(registry) == len(INTERFACE_KEYS) and "tug" in registry


def test_an_unknown_instrument_lists_the_known_keys() -> None:
    with pytest.raises(UnknownInstrument, match=r"Unknown instrument 'sf12'\. Use one of: pain_nrs, pgic") as info:
        load_instruments().get("sf12")
    assert isinstance(info.value, InvalidRequest) and info.value.field == ("instrument",)


def test_licensed_instruments_ship_no_item_text() -> None:
    for instrument in load_instruments():
        shipped = [item.key for item in instrument.items if item.text is not None]
        shipped += [item.key for item in instrument.items for option in item.options if option.label is not None]
        if instrument.key in LICENSED:
            assert (instrument.licence, instrument.french) == ("licensed", "licensed")
            assert shipped == [], instrument.key
        else:
            assert instrument.licence == "free" and instrument.french == "unvalidated"
            assert len(shipped) >= len(instrument.items), instrument.key


def test_free_texts_are_bilingual_and_performance_tests_have_instructions() -> None:
    for instrument in load_instruments():
        for text in (instrument.name, *(scale.name for scale in instrument.scales)):
            assert text.en.strip() and text.fr.strip()
        if instrument.kind == "perf":
            assert all(item.instructions is not None and item.unit for item in instrument.items), instrument.key


def test_a_clinic_with_a_licence_supplies_the_item_texts() -> None:
    pdq8 = get("pdq8")
    text = Text(en="Clinic wording", fr="Libellé de la clinique")
    with_texts = pdq8.with_item_texts({"q1": text})
    assert with_texts.item("q1").text == text and with_texts.item("q2").text is None
    assert pdq8.item("q1").text is None  # the shipped definition is unchanged
    with pytest.raises(AnswerError, match="Instrument pdq8 has no item 'q9'"):
        pdq8.with_item_texts({"q9": text})


def test_battery_per_condition_from_the_schedule_data() -> None:
    registry = load_instruments()
    dystonia = ("pain_nrs", "pgic", "dystonia_diary", "rand36", "chair_stand_30s", "tug")
    assert registry.battery(["dystonia"]) == dystonia
    assert registry.battery(["dystonia", "parkinson"]) == (*dystonia, "walk_10m", "walk_6min", "berg")
    assert set(registry.battery(["cerebral_palsy"])) <= set(registry.battery(["parkinson"]))
    assert registry.battery(["unknown"]) == ()
    assert not set(registry.battery(registry.conditions())) & set(LICENSED)  # licences are per clinic
    assert registry.schedule.not_at_baseline == frozenset({"pgic"})
    assert (registry.schedule.every_days, registry.schedule.pre_injection_days) == (28, 7)  # BRIEF §7
    assert registry.schedule.injection_interval_days == 84  # BRIEF §5.1


# --- free instruments, worked examples ----------------------------------------------------------------------------


def test_pain_nrs_scores_each_rating_and_refuses_out_of_range() -> None:
    assert values("pain_nrs", {"now": 6, "average_24h": 5}) == {"now": 6, "average_24h": 5}
    assert values("pain_nrs", {"now": 3}) == {"now": 3, "average_24h": None}
    with pytest.raises(
        AnswerError, match=r"Item now: 11 is out of range\. Answer a number from 0 to 10 in steps of 1\."
    ):
        score(get("pain_nrs"), {"now": 11})
    with pytest.raises(AnswerError, match=r"Item average_24h: 5\.5 is out of range"):
        score(get("pain_nrs"), {"average_24h": 5.5})
    assert get("pain_nrs").scale("now").loinc == "72514-3"


def test_pgic_is_one_of_seven_answers() -> None:
    assert values("pgic", {"global_change": 3}) == {"global_change": 3}
    labels = [option.label.en for option in get("pgic").item("global_change").options if option.label]
    assert labels[0] == "Very much improved" and labels[3] == "No change" and labels[6] == "Very much worse"
    with pytest.raises(
        AnswerError, match=r"Item global_change: 0 is not an allowed answer\. Answer one of 1, 2, 3, 4, 5, 6, 7\."
    ):
        score(get("pgic"), {"global_change": 0})


def test_dystonia_diary() -> None:
    answers = {"pulling": 7, "tremor": 2, "pain": 4, "good_day": 0}
    assert values("dystonia_diary", answers) == {"pulling": 7, "tremor": 2, "pain": 4, "good_day": 0}
    with pytest.raises(AnswerError, match="Item good_day: 2 is not an allowed answer"):
        score(get("dystonia_diary"), {"good_day": 2})


def test_performance_tests_keep_their_measurement_and_unit() -> None:
    assert values("chair_stand_30s", {"stands": 12}) == {"stands": 12}
    assert values("tug", {"seconds": 9.8}) == {"seconds": 9.8}
    assert values("walk_10m", {"comfortable": 1.05, "fast": 1.6}) == {"comfortable": 1.05, "fast": 1.6}
    assert values("walk_6min", {"metres": 420}) == {"metres": 420}
    units = {key: get(key).scales[0].unit for key in ("chair_stand_30s", "tug", "walk_10m", "walk_6min")}
    assert units == {"chair_stand_30s": "{count}", "tug": "s", "walk_10m": "m/s", "walk_6min": "m"}
    with pytest.raises(
        AnswerError, match=r"Item stands: 12\.5 is out of range\. Answer a number from 0 to 60 in steps of 1"
    ):
        score(get("chair_stand_30s"), {"stands": 12.5})
    with pytest.raises(AnswerError, match=r"Item seconds: -1 is out of range\. Answer a number from 0 to 300\."):
        score(get("tug"), {"seconds": -1})


def test_berg_sums_fourteen_tasks_and_every_task_is_required() -> None:
    berg = get("berg")
    answers: dict[str, float | None] = {item.key: 4 for item in berg.items}
    answers["tandem_standing"] = 3
    answers["standing_on_one_leg"] = 3
    assert values("berg", answers) == {"total": 54}
    answers["turning_360"] = None
    result = score(berg, answers).scales[0]
    assert (result.value, result.answered, result.missing) == (None, 13, 1)
    assert berg.notes is not None and "14" in berg.notes.en


def test_thresholds_are_exactly_the_briefs() -> None:
    pain = get("pain_nrs").scale("now").mcid
    assert pain is not None and (pain.improvement, pain.improvement_percent, pain.worsening) == (2, 30, None)
    assert "[R110]" in pain.source
    mdc = {
        (key, scale.key): (scale.mdc.improvement, scale.mdc.worsening)
        for key in ("tug", "walk_10m", "walk_6min", "berg")
        for scale in get(key).scales
        if scale.mdc is not None
    }
    assert mdc == {
        ("tug", "seconds"): (3.5, 3.5),
        ("walk_10m", "comfortable"): (0.18, 0.18),
        ("walk_10m", "fast"): (0.25, 0.25),
        ("walk_6min", "metres"): (82, 82),
        ("berg", "total"): (5, 5),
    }
    assert "[?]" in (get("tug").scales[0].mdc or pytest.fail()).source
    updrs = {key: get(key).scale("total").mcid for key in ("mds_updrs_1", "mds_updrs_2", "mds_updrs_3", "mds_updrs_4")}
    assert {k: (t.improvement, t.worsening) if t else None for k, t in updrs.items()} == {
        "mds_updrs_1": (2.64, 2.45),
        "mds_updrs_2": (3.05, 2.51),
        "mds_updrs_3": (3.25, 4.63),
        "mds_updrs_4": None,
    }
    pdq = get("pdq39").scale("summary_index").mcid
    assert pdq is not None and pdq.improvement == 1.6
    for instrument in load_instruments():
        for scale in instrument.scales:
            for threshold in (scale.mcid, scale.mdc):
                assert threshold is None or threshold.source.startswith("BRIEF §7 ["), (instrument.key, scale.key)


# --- answer errors -------------------------------------------------------------------------------------------------


def test_an_unknown_item_is_named_with_the_known_items() -> None:
    with pytest.raises(
        AnswerError, match=r"Instrument pain_nrs has no item 'later'\. Known items: now, average_24h\."
    ) as info:
        score(get("pain_nrs"), {"now": 2, "later": 3})
    assert info.value.field == ("answers", "later")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_a_non_number_is_refused(bad: float) -> None:
    with pytest.raises(AnswerError, match=r"Item now: .* is not a number"):
        score(get("pain_nrs"), {"now": bad})


def test_an_unknown_scale_is_named() -> None:
    with pytest.raises(InvalidRequest, match=r"Instrument tug has no scale 'total'\. Known scales: seconds\."):
        get("tug").scale("total")
    with pytest.raises(KeyError):
        score(get("tug"), {"seconds": 10}).value("total")


# --- change labels -------------------------------------------------------------------------------------------------


def scale_of(key: str, scale: str) -> Scale:
    return get(key).scale(scale)


@pytest.mark.parametrize(
    ("baseline", "current", "improved", "label"),
    [
        (6, 4, True, ChangeLabel.CLINICALLY_MEANINGFUL),  # 2 points
        (6, 5, True, ChangeLabel.NONE),  # 1 point, 17 %
        (3, 2, True, ChangeLabel.CLINICALLY_MEANINGFUL),  # 1 point but 33 % reduction
        (4, 7, False, ChangeLabel.NONE),  # the brief gives no worsening threshold for pain
        (5, 5, None, ChangeLabel.NONE),
    ],
)
def test_pain_change_two_points_or_thirty_percent(
    baseline: float, current: float, improved: bool | None, label: ChangeLabel
) -> None:
    change = classify_change(scale_of("pain_nrs", "now"), baseline, current)
    assert (change.improved, change.label) == (improved, label)
    assert change.delta == current - baseline


@pytest.mark.parametrize(
    ("key", "scale", "baseline", "current", "improved", "label"),
    [
        ("walk_10m", "comfortable", 1.00, 1.18, True, ChangeLabel.BEYOND_MEASUREMENT_ERROR),
        ("walk_10m", "comfortable", 1.00, 0.80, False, ChangeLabel.BEYOND_MEASUREMENT_ERROR),
        ("walk_10m", "comfortable", 1.00, 1.10, True, ChangeLabel.NONE),
        ("walk_10m", "fast", 1.50, 1.70, True, ChangeLabel.NONE),
        ("tug", "seconds", 12, 8, True, ChangeLabel.BEYOND_MEASUREMENT_ERROR),  # lower is better
        ("tug", "seconds", 12, 16, False, ChangeLabel.BEYOND_MEASUREMENT_ERROR),
        ("tug", "seconds", 12, 10, True, ChangeLabel.NONE),
        ("walk_6min", "metres", 300, 390, True, ChangeLabel.BEYOND_MEASUREMENT_ERROR),
        ("berg", "total", 44, 40, False, ChangeLabel.NONE),
        ("mds_updrs_3", "total", 30, 26, True, ChangeLabel.CLINICALLY_MEANINGFUL),  # −4 ≥ 3.25
        ("mds_updrs_3", "total", 30, 34, False, ChangeLabel.NONE),  # +4 < 4.63
        ("mds_updrs_3", "total", 30, 35, False, ChangeLabel.CLINICALLY_MEANINGFUL),
        ("pdq39", "summary_index", 40, 38.4, True, ChangeLabel.CLINICALLY_MEANINGFUL),
        ("pdq39", "summary_index", 40, 45, False, ChangeLabel.NONE),  # no worsening MCID given
        ("rand36", "pain", 40, 90, True, ChangeLabel.NONE),  # no threshold: no label, however large
    ],
)
def test_change_labels_in_both_directions(
    key: str, scale: str, baseline: float, current: float, improved: bool, label: ChangeLabel
) -> None:
    change = classify_change(scale_of(key, scale), baseline, current)
    assert (change.improved, change.label) == (improved, label)


def test_a_change_below_the_mdc_is_never_clinically_meaningful() -> None:
    both = Scale(
        key="score",
        name=Text(en="Score", fr="Score"),
        items=("a",),
        minimum=0,
        maximum=100,
        direction="higher_is_better",
        mcid=ChangeThreshold(kind="mcid", improvement=5, worsening=5, source="test"),
        mdc=ChangeThreshold(kind="mdc", improvement=8, worsening=8, source="test"),
    )
    assert classify_change(both, 50, 56).label == ChangeLabel.NONE
    assert classify_change(both, 50, 58).label == ChangeLabel.CLINICALLY_MEANINGFUL
    assert classify_change(both, 50, 42).label == ChangeLabel.CLINICALLY_MEANINGFUL


# --- the loader ------------------------------------------------------------------------------------------------------


def copy_catalog(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    shutil.copy(INSTRUMENTS_DIR.parent / "references.yaml", tmp_path / "references.yaml")
    target = tmp_path / "instruments"
    shutil.copytree(INSTRUMENTS_DIR, target)
    return target


def edit(path: Path, change: dict[str, object]) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document.update(change)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def test_a_bad_field_fails_at_load_with_file_and_field(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(directory / "tug.yaml", {"kind": "survey"})
    with pytest.raises(CatalogError, match=r"^tug\.yaml\.kind: Input should be 'pro', 'clinro' or 'perf'"):
        load_instruments(directory)


def test_a_licensed_file_with_item_text_fails_at_load(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    document = yaml.safe_load((directory / "pdq8.yaml").read_text(encoding="utf-8"))
    document["items"][0]["text"] = {"en": "copied", "fr": "copié"}
    (directory / "pdq8.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"pdq8\.yaml: .*item q1: a licensed instrument ships no item text"):
        load_instruments(directory)


def test_a_declared_range_that_the_items_cannot_give_fails_at_load(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    document = yaml.safe_load((directory / "berg.yaml").read_text(encoding="utf-8"))
    document["scales"][0]["maximum"] = 60
    (directory / "berg.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"berg\.yaml: .*scale total: declared range 0–60 but its items give 0–56"):
        load_instruments(directory)


def test_the_schedule_must_list_every_instrument_and_know_its_batteries(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    (directory / "pgic.yaml").rename(directory / "pgic_old.yaml.bak")
    with pytest.raises(
        CatalogError,
        match=r"schedule\.yaml\.order: must list every instrument file once; missing \[\], extra \['pgic'\]",
    ):
        load_instruments(directory)
    other = copy_catalog(tmp_path / "other")
    edit(other / "schedule.yaml", {"batteries": {"dystonia": ["pain_nrs", "eq5d"]}})
    with pytest.raises(CatalogError, match=r"schedule\.yaml: battery dystonia: unknown instruments \['eq5d'\]"):
        load_instruments(other)


def test_unknown_references_and_mismatched_keys_fail_at_load(tmp_path: Path) -> None:
    directory = copy_catalog(tmp_path)
    edit(directory / "tug.yaml", {"references": ["R101", "R999"]})
    with pytest.raises(CatalogError, match=r"tug\.yaml\.references: unknown reference keys \['R999'\]"):
        load_instruments(directory)
    other = copy_catalog(tmp_path / "other")
    edit(other / "tug.yaml", {"key": "timed_up_and_go"})
    with pytest.raises(CatalogError, match=r"tug\.yaml\.key: timed_up_and_go must match the file name tug"):
        load_instruments(other)


def test_home_capable_follows_the_briefs_core_set() -> None:
    home = {instrument.key for instrument in load_instruments() if instrument.home_capable}
    # BRIEF §7: home-capable core set; Berg and the 6MWT are clinician-captured.
    assert {"pain_nrs", "pgic", "dystonia_diary", "rand36", "chair_stand_30s", "tug"} <= home
    assert not {"berg", "walk_6min", "mds_updrs_3", "twstrs"} & home
