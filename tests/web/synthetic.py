"""A synthetic store for the UI's tests: many short articles written from templates (no publisher's text),
spread over outlets, days, stories and speakers, with direct and reported quotes, stances, dated events and a
reshare chain of posts. Deterministic: the same `n` gives the same records."""

from __future__ import annotations

from typing import Any

OUTLETS = ["Harbour Times", "Coast Daily", "Valley Courier", "The Ridge Post", "صوت المدينة"]
PEOPLE = [("E_ortiz", "Lena Ortiz", "mayor"), ("E_reed", "Sam Reed", "councillor"),
          ("E_silva", "Ana Silva", "librarian"), ("E_karimi", "Reza Karimi", "activist"),
          ("E_noor", "نور حداد", "engineer")]
TOPICS = [("S_ferry", "ferry line", "the ferry will cut commutes"), ("S_library", "library hours", "books stay open"),
          ("S_bridge", "bridge repairs", "the bridge needs steel"), ("S_park", "park plan", "trees come first")]


def _article(i: int) -> dict[str, Any]:
    story, topic, claim = TOPICS[i % len(TOPICS)]
    eid, name, role = PEOPLE[i % len(PEOPLE)]
    other_id, other, other_role = PEOPLE[(i + 2) % len(PEOPLE)]
    day = f"2024-{1 + (i // 28) % 12:02d}-{1 + i % 28:02d}"
    title = None if i % 9 == 4 else f"Council debates the {topic}, part {i}"
    parts: list[str] = []

    def add(piece: str) -> tuple[int, int]:
        start = sum(len(p) for p in parts)
        parts.append(piece)
        return start, start + len(piece)

    add(f"{role.capitalize()} ")
    speaker_span = add(name)
    add(' said on Tuesday that "')
    direct = add(f"{claim} by {i} percent.")
    add('" ')
    other_span = add(other)
    add(" said that ")
    reported = add(f"the {topic} would cost more")
    add(f". {other} hopes ")
    stance = add(f"the vote on the {topic} fails")
    add(". The meeting ended late.")
    text = "".join(parts)
    tue = text.index("Tuesday")
    quote = {"speaker": name, "speaker_id": eid, "speaker_span": list(speaker_span), "cue": "said",
             "anonymous": False, "spans": None, "post_id": None}
    record: dict[str, Any] = {
        "doc_id": f"syn-{i:05d}", "source": f"synthetic/{i}.txt", "title": title,
        "url": f"https://example.org/{i}", "outlet": OUTLETS[i % len(OUTLETS)], "published": day, "text": text,
        "authors": [f"Reporter {i % 7}"],
        "entities": [{"id": eid, "name": name, "label": "PERSON", "mentions": [list(speaker_span)], "roles": [role]},
                     {"id": other_id, "name": other, "label": "PERSON", "mentions": [list(other_span)],
                      "roles": [other_role]}],
        "quotes": [{**quote, "text": text[direct[0]:direct[1]], "start": direct[0], "end": direct[1],
                    "direct": True, "kind": "direct"},
                   {**quote, "speaker": other, "speaker_id": other_id, "speaker_span": list(other_span),
                    "text": text[reported[0]:reported[1]], "start": reported[0], "end": reported[1],
                    "direct": False, "kind": "reported"},
                   {**quote, "speaker": other, "speaker_id": other_id, "speaker_span": list(other_span),
                    "cue": "hopes", "text": text[stance[0]:stance[1]], "start": stance[0], "end": stance[1],
                    "direct": False, "kind": "stance"}],
        "social_posts": [],
        "dates": [{"text": "Tuesday", "start": tue, "end": tue + 7, "value": day}],
        "amounts": [], "tone": round(((i % 11) - 5) / 10, 2), "story_id": story, "errors": [], "meta": {},
    }
    if i % 5 == 0:  # a reshare chain: Karimi's post, shared by Ortiz, answered by Reed; one post has no text
        record["social_posts"] = [
            {"id": "P_karimi", "platform": "twitter", "author": "Reza Karimi", "handle": "rkarimi",
             "date": "2024-01-02", "text": "The ferry plan is late.", "url": "https://twitter.com/rkarimi/status/1",
             "embedded": True, "metrics": {"likes": 10 + i}},
            {"id": "P_ortiz_rt", "platform": "twitter", "author": "Lena Ortiz", "handle": "lenaortiz",
             "date": "2024-01-03", "text": "", "url": "https://twitter.com/lenaortiz/status/2", "embedded": False,
             "metrics": {}, "reshares": "P_karimi"},
            {"id": "P_reed_reply", "platform": "twitter", "author": "Sam Reed", "handle": "samreed",
             "date": "2024-01-04", "text": "It is on time.", "url": "https://twitter.com/samreed/status/3",
             "embedded": False, "metrics": {}, "reacts_to": "P_ortiz_rt"}]
    return record


def records(n: int) -> list[Any]:
    from newsgraph.records import Record

    return [Record.from_dict(_article(i)) for i in range(n)]
