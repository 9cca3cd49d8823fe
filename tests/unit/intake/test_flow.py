from kiosk.questions import flow


def done(answers: dict, *steps: str) -> dict:
    return {**answers, "_done": list(steps)}


SELF_MEDICAL_STEPS = [
    "who",
    "identity",
    "phone",
    "claim_type",
    "accident_date",
    "place",
    "documents",
    "payment",
]


def test_self_medical_claim_has_nine_steps() -> None:
    answers = {"who": "self", "claim_type": "medical"}
    assert flow.steps_for(answers) == [*SELF_MEDICAL_STEPS, "check"]
    assert flow.step_number("phone", answers) == (3, 9)


def test_family_and_transport_death_add_their_steps() -> None:
    answers = {"who": "family", "claim_type": "transport_death"}
    steps = flow.steps_for(answers)
    assert steps.index("reporter") == steps.index("identity") + 1
    assert "transport" in steps and "outcome_date" in steps
    assert steps.index("outcome_date") == steps.index("accident_date") + 1


def test_first_unanswered_and_next() -> None:
    answers = done({"who": "self"}, "who")
    assert flow.first_unanswered(answers) == "identity"
    assert flow.next_step("who", answers) == "identity"
    assert flow.previous_step("identity", answers) == "who"
    assert flow.previous_step("who", answers) is None


def test_change_from_check_returns_to_check_unless_a_new_step_opened() -> None:
    answers = done({"who": "self", "claim_type": "medical"}, *SELF_MEDICAL_STEPS)
    assert flow.next_step("place", answers, returning_to_check=True) == "check"
    switched = {**answers, "who": "family"}  # now a reporter's details are needed
    assert flow.next_step("who", switched, returning_to_check=True) == "reporter"
