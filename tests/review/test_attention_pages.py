"""The spec page says whom it waits for and why; people taking part hand the turn on with a plain form."""

from django.urls import reverse

from specs_app.models import Attention, Notification
from tests.helpers import client_for, html_tree


def hand_url(spec) -> str:
    return reverse("specs:attention-hand", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug})


def leave_url(spec) -> str:
    return reverse(
        "specs:attention-leave", kwargs={"project_slug": spec.project.slug, "spec_slug": spec.slug}
    )


def attention_section(browser, spec):
    page = html_tree(browser.get(spec.get_absolute_url()).content)
    return page.find("section", id="attention")


def test_the_spec_page_shows_who_it_waits_for_and_why(core, in_review, client):
    section = attention_section(client, in_review)
    [person] = section.find_all("li", class_="attention__person")
    assert "dave" in person.text
    assert "(revision 1 to review)" in person.text


def test_the_person_waited_for_reads_that_it_is_their_turn_in_words(core, in_review, password):
    section = attention_section(client_for(core, password), in_review)
    assert "your turn" in section.find("li", class_="attention__person--you").text


def test_a_spec_that_waits_for_nobody_says_so(spec, client):
    assert "a draft spec waits for nobody" in attention_section(client, spec).text


def test_the_hand_on_form_is_offered_to_people_taking_part_only(
    core, in_review, alice, bob, password, client
):
    assert attention_section(client, in_review).find("form") is None
    assert attention_section(client_for(bob, password), in_review).find("form") is None
    form = attention_section(client_for(alice, password), in_review).find("form", class_="attention__form")
    options = [option.attrs["value"] for option in form.find_all("option") if option.attrs["value"]]
    assert options == ["alice", "dave"]


def test_handing_on_without_script_moves_the_turn_and_comes_back(core, in_review, alice, bob, password):
    response = client_for(core, password).post(
        hand_url(in_review), {"from": "dave", "to": "alice", "reason": "Your call."}
    )
    assert response.status_code == 302
    assert response["Location"] == in_review.get_absolute_url()
    assert list(Attention.objects.values_list("user__username", "reason")) == [
        ("alice", "handed on by dave: Your call.")
    ]
    assert Notification.objects.get(kind=Notification.Kind.YOUR_TURN).recipient == alice


def test_an_anonymous_visitor_is_sent_to_sign_in(core, in_review, client):
    response = client.post(hand_url(in_review), {"to": "alice"})
    assert response.status_code == 302
    assert "/login" in response["Location"] or "accounts" in response["Location"]
    assert client.post(leave_url(in_review)).status_code == 302
    assert Attention.objects.get().user == core


def test_an_outsider_is_refused_with_a_reason(core, in_review, carol, password):
    response = client_for(carol, password).post(hand_url(in_review), {"to": "carol"})
    assert response.status_code == 403
    assert b"taking part" in response.content


def test_bad_input_is_a_400_with_a_message(core, in_review, alice, password):
    browser = client_for(alice, password)
    for data, message in [
        ({"to": ""}, b"Choose the person"),
        ({"to": "ghost"}, "no active account named “ghost”".encode()),
        ({"to": "dave"}, b"already dave&#x27;s turn"),
    ]:
        response = browser.post(hand_url(in_review), data)
        assert response.status_code == 400, data
        assert message in response.content, data


def test_removing_yourself_takes_you_out(core, in_review, password):
    browser = client_for(core, password)
    assert browser.post(leave_url(in_review)).status_code == 302
    assert not Attention.objects.exists()
    response = browser.post(leave_url(in_review))
    assert response.status_code == 400
    assert b"not your turn" in response.content


def test_the_forms_answer_in_json_for_the_script(core, in_review, alice, password):
    response = client_for(alice, password).post(
        hand_url(in_review), {"to": "alice"}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"ok": True}


def test_the_admin_lists_whose_turn_it_is(core, in_review, client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)

    page = client.get("/admin/specs_app/attention/").content.decode()

    assert "dave" in page
    assert "revision 1 to review" in page
