"""The scales API under /api/v1/scales: public, no key, nothing stored; errors in Dutch and
English with the position of the answer that does not fit, never a 500."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def post(client: Client, scale: str, body: Any, *, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body)
    return client.post(f"/api/v1/scales/{scale}/score", data, content_type="application/json")


# --- Listing and describing -------------------------------------------------------------------


def test_list_shows_the_four_scales(client: Client) -> None:
    response = client.get("/api/v1/scales")
    assert response.status_code == 200
    data = response.json()
    assert [s["code"] for s in data] == ["djg11", "djg6", "ucla3", "direct"]
    assert {s["code"]: s["item_count"] for s in data} == {
        "djg11": 11,
        "djg6": 6,
        "ucla3": 3,
        "direct": 1,
    }
    assert data[0]["name"]["nl"].startswith("Eenzaamheidsschaal van De Jong Gierveld")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_djg11_description_has_items_answers_rules_and_sources(client: Client) -> None:
    data = client.get("/api/v1/scales/djg11").json()
    assert len(data["items"]) == 11
    assert data["items"][2]["nl"] == "Ik ervaar een leegte om me heen."
    assert data["items"][2]["en"] == "I experience a general sense of emptiness"
    assert data["items"][2]["subscale"] == "emotional"
    assert data["items"][2]["wording"] == "negative"
    assert data["answer_forms"] == {
        "3-point": ["ja", "min of meer", "nee"],
        "5-point": ["ja!", "ja", "min of meer", "nee", "nee!"],
    }
    assert [c["code"] for c in data["scoring"]["categories"]] == [
        "niet_eenzaam",
        "matig_eenzaam",
        "ernstig_eenzaam",
        "zeer_ernstig_eenzaam",
    ]
    assert data["scoring"]["categories"][1] == {
        "code": "matig_eenzaam",
        "from": 3,
        "to": 8,
        "nl": "matig eenzaam",
        "en": "moderately lonely",
    }
    assert data["scoring"]["max_missing"] == 1
    assert data["scoring"]["subscales"] == {
        "emotional": [2, 3, 5, 6, 9, 10],
        "social": [1, 4, 7, 8, 11],
    }
    missing_rule = next(r for r in data["rules"] if r["topic"] == "missing")
    assert missing_rule["status"] == "project_rule"
    assert missing_rule["setting"] == "OMZIEN_DJG11_MAX_MISSING"
    keys = {s["key"] for s in data["sources"]}
    assert {"MANUAL", "CUTOFF1999", "VZINFO"} <= keys
    manual = next(s for s in data["sources"] if s["key"] == "MANUAL")
    assert manual["url"].startswith("https://home.fsw.vu.nl/")


def test_djg6_description_names_the_eleven_item_numbers(client: Client) -> None:
    data = client.get("/api/v1/scales/djg6").json()
    assert [i["djg11_number"] for i in data["items"]] == [3, 4, 7, 8, 9, 10]
    assert data["scoring"]["total_range"] == [0, 6]
    assert data["scoring"]["subscale_lonely_from"] == 1


def test_ucla3_and_direct_descriptions(client: Client) -> None:
    ucla = client.get("/api/v1/scales/ucla3").json()
    assert ucla["answer_type"] == "integer"
    assert [o["value"] for o in ucla["answer_options"]] == [1, 2, 3]
    assert ucla["answer_options"][0]["en"] == "Hardly ever (or never)"
    assert ucla["scoring"]["categories"] == []
    assert ucla["scoring"]["lonely_from"] is None
    direct = client.get("/api/v1/scales/direct").json()
    assert direct["items"][0]["nl"].startswith("Als we de mensen zouden indelen")
    assert direct["scoring"]["lonely_from"] == "matig_eenzaam"
    assert direct["total_range"] is None


def test_unknown_scale_description_is_404_with_a_message(client: Client) -> None:
    response = client.get("/api/v1/scales/ucla20")
    assert response.status_code == 404
    data = response.json()
    assert data["error"] == "not_found"
    assert "ucla20" in data["nl"] and "djg11" in data["nl"]
    assert "does not exist" in data["en"]


# --- Scoring, one worked example per scale ----------------------------------------------------


def test_score_djg11(client: Client) -> None:
    """Hand-worked: emotional 3 (items 3, 5, 9), social 2 (items 7, 8), total 5 = matig."""
    answers = [
        "ja",
        "nee",
        "min of meer",
        "ja",
        "ja",
        "nee",
        "nee",
        "min of meer",
        "ja",
        "nee",
        "ja",
    ]
    response = post(client, "djg11", {"answers": answers})
    assert response.status_code == 200
    assert response.json() == {
        "total": 5,
        "emotional": 3,
        "social": 2,
        "category": "matig_eenzaam",
        "complete": True,
        "reason": None,
    }
    assert response["Access-Control-Allow-Origin"] == "*"


def test_score_djg11_five_point_form_with_one_missing(client: Client) -> None:
    answers = ["ja!", "ja!", "nee!", "nee!", "ja", "nee", "ja", "nee", "min of meer", "nee!", None]
    data = post(client, "djg11", {"answers": answers}).json()
    assert data["total"] == 5
    assert data["emotional"] == 3
    assert data["social"] is None
    assert data["complete"] is False
    assert "11" in data["reason"]["nl"]
    assert "Item 11 was not answered" in data["reason"]["en"]


def test_score_djg11_too_many_missing_gives_no_score(client: Client) -> None:
    data = post(client, "djg11", {"answers": ["ja"] * 9 + [None, None]}).json()
    assert data["total"] is None
    assert data["category"] is None
    assert data["complete"] is False
    assert "Geen score" in data["reason"]["nl"]
    assert "No score" in data["reason"]["en"]


def test_score_djg6(client: Client) -> None:
    data = post(client, "djg6", {"answers": ["ja", "nee", "nee", "nee", "ja", "ja"]}).json()
    assert data == {
        "total": 6,
        "emotional": 3,
        "social": 3,
        "category": "sterk_eenzaam",
        "complete": True,
        "reason": None,
    }


def test_score_ucla3(client: Client) -> None:
    data = post(client, "ucla3", {"answers": [1, 2, 3]}).json()
    assert data == {
        "total": 6,
        "emotional": None,
        "social": None,
        "category": None,
        "complete": True,
        "reason": None,
    }


def test_score_ucla3_with_a_missing_answer(client: Client) -> None:
    data = post(client, "ucla3", {"answers": [1, None, 3]}).json()
    assert data["total"] is None
    assert "alle 3 antwoorden" in data["reason"]["nl"]


def test_score_direct(client: Client) -> None:
    data = post(client, "direct", {"answers": ["sterk eenzaam"]}).json()
    assert data == {
        "total": None,
        "emotional": None,
        "social": None,
        "category": "sterk_eenzaam",
        "complete": True,
        "reason": None,
    }


def test_score_needs_no_key_nor_csrf_token_and_stores_nothing(django_assert_num_queries) -> None:
    client = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        response = post(client, "djg6", {"answers": ["ja"] * 6})
    assert response.status_code == 200


# --- Errors -----------------------------------------------------------------------------------


def test_unknown_scale_score_is_404(client: Client) -> None:
    response = post(client, "gierveld", {"answers": []})
    assert response.status_code == 404
    assert response.json()["parameters"] == ["scale"]


def test_too_few_answers_is_422_naming_the_position(client: Client) -> None:
    response = post(client, "djg11", {"answers": ["ja"] * 10})
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "invalid_answers"
    assert data["positions"] == [11]
    assert "Antwoord 11 ontbreekt" in data["nl"]
    assert "Answer 11 is missing" in data["en"]


def test_too_many_answers_is_422(client: Client) -> None:
    response = post(client, "ucla3", {"answers": [1, 1, 1, 1]})
    assert response.status_code == 422
    assert response.json()["positions"] == [4]


def test_unknown_label_is_422_naming_the_position(client: Client) -> None:
    response = post(client, "djg6", {"answers": ["ja", "nee", "misschien", "ja", "ja", "ja"]})
    assert response.status_code == 422
    data = response.json()
    assert data["positions"] == [3]
    assert "Antwoord 3" in data["nl"] and "misschien" in data["nl"]


def test_wrong_type_is_422_naming_every_position(client: Client) -> None:
    response = post(client, "ucla3", {"answers": ["1", 2, True]})
    assert response.status_code == 422
    data = response.json()
    assert data["positions"] == [1, 3]
    assert "Antwoord 1 moet een heel getal zijn" in data["nl"]
    assert "Answer 3 must be a whole number" in data["en"]


def test_a_number_where_a_label_is_needed_is_422(client: Client) -> None:
    response = post(client, "direct", {"answers": [2]})
    assert response.status_code == 422
    assert response.json()["positions"] == [1]


@pytest.mark.parametrize("body", [{}, {"antwoorden": []}, [], "ja", None])
def test_a_body_without_answers_is_422(client: Client, body: Any) -> None:
    response = post(client, "djg6", body)
    assert response.status_code == 422
    assert response.json()["positions"] == []
    assert "answers" in response.json()["en"]


def test_answers_that_are_not_a_list_are_422(client: Client) -> None:
    response = post(client, "djg6", {"answers": "ja ja ja ja ja ja"})
    assert response.status_code == 422
    assert "lijst" in response.json()["nl"]


def test_an_empty_body_is_422_asking_for_the_answers(client: Client) -> None:
    response = post(client, "djg6", "", raw=True)
    assert response.status_code == 422
    assert '{"answers": [...]}' in response.json()["nl"]


@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe", "[1,"])
def test_a_body_that_is_not_json_is_400(client: Client, body: Any) -> None:
    response = post(client, "djg6", body, raw=True)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_a_body_that_is_too_large_is_413(client: Client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = post(client, "djg11", {"answers": ["min of meer"] * 11})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "answers",
    [
        [{"ja": 1}] * 6,
        [["ja"]] * 6,
        [1.5] * 6,
        [10**30] * 6,
        ["x" * 10_000] * 6,
        [None] * 6,
        ["ja"] * 10_000,
    ],
)
def test_odd_answers_never_give_a_500(client: Client, answers: list[Any]) -> None:
    for scale in ("djg11", "djg6", "ucla3", "direct"):
        response = post(client, scale, {"answers": answers})
        assert response.status_code in (200, 422), (scale, response.status_code)
        assert set(response.json()) >= {"nl", "en"} or "complete" in response.json()


def test_a_long_unknown_label_is_shortened_in_the_message(client: Client) -> None:
    data = post(client, "direct", {"answers": ["x" * 500]}).json()
    assert len(data["nl"]) < 300


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_documents_the_scale_paths(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/scales" in schema["paths"]
    assert "/api/v1/scales/{scale}" in schema["paths"]
    operation = schema["paths"]["/api/v1/scales/{scale}/score"]["post"]
    body = operation["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["answers"]
    assert set(body["examples"]) == {"djg11", "djg6", "ucla3", "direct"}
    assert {"200", "404", "422"} <= set(operation["responses"])
    assert "security" not in operation
    score_out = schema["components"]["schemas"]["ScoreOut"]["properties"]
    assert set(score_out) == {"total", "emotional", "social", "category", "complete", "reason"}


def test_docs_page_lists_the_score_operation(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "/api/v1/scales/{scale}/score" in response.content.decode()
