"""Which items of last year feed each item of the next (prongsai.rollover), as the year's rollover uses it."""

from __future__ import annotations

from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.rollover import item_mapping


def _with_continues(framework: Framework, continues: dict[str, list[str] | None]) -> Framework:
    """The framework with some items' ``continues`` replaced (None: the file does not say)."""
    data = framework.model_dump(mode="json", by_alias=True)
    for sub in data["oit"]["sub_indicators"]:
        for item in sub["items"]:
            if item["code"] in continues:
                item["continues"] = continues[item["code"]]
    return Framework.model_validate(data)


def test_fy2569_follows_its_continues_including_the_merge() -> None:
    mapping = item_mapping(get_framework(2568), get_framework(2569))
    assert mapping.predecessors["O20"] == ("O21", "O22")  # No Gift Policy: two FY2568 items merged
    assert mapping.predecessors["O25"] == ("O27",)
    assert mapping.predecessors["O1"] == ("O1",)
    assert mapping.how["O20"] == "continues"
    assert mapping.new_items == ()
    assert mapping.successors("O21") == ("O20",) and mapping.successors("O22") == ("O20",)
    # a measure's items: each once, in order; an item no FY2569 item continues goes
    dropped = [c for c in (i.code for i in get_framework(2568).items) if not mapping.successors(c)]
    assert mapping.translate(["O27", "O21", "O22", *dropped]) == ["O25", "O20"]


def test_without_continues_a_proposal_maps_the_same_title_and_similar_items() -> None:
    previous, current = get_framework(2567), get_framework(2568)  # FY2568's file says no continues
    mapping = item_mapping(previous, current)
    assert mapping.predecessors["O2"] == ("O2",) and mapping.how["O2"] == "title"
    titles = {i.title_th for i in previous.items}
    for code, before in mapping.predecessors.items():
        if before and current.item(code).title_th not in titles:
            assert mapping.how[code] == "proposed" and mapping.proposed[code] == before  # for a person to check
    assert "O2" not in mapping.proposed
    assert mapping.new_items  # some FY2568 items have no FY2567 predecessor
    assert set(mapping.new_items) <= {i.code for i in current.items if i.title_th not in titles}


def test_an_item_the_file_says_is_new_has_no_predecessor_even_with_a_known_title() -> None:
    previous = get_framework(2568)
    current = _with_continues(get_framework(2569), {"O2": [], "O3": None, "O4": ["O4", "O99"]})
    mapping = item_mapping(previous, current)
    assert mapping.predecessors["O2"] == ()  # said new: the same title does not matter
    assert "O2" in mapping.new_items
    assert mapping.predecessors["O4"] == ("O4",)  # a code last year does not have is left out
    assert mapping.how.get("O3") != "continues"  # the file does not say: a proposal, or nothing


def test_a_provisional_year_continues_every_item_of_the_year_it_is_made_from() -> None:
    current = get_framework(2570)
    assert current.provisional
    mapping = item_mapping(get_framework(2569), current)
    assert all(mapping.predecessors[i.code] == (i.code,) for i in current.items)
    assert mapping.new_items == ()
