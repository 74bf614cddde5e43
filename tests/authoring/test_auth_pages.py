"""Signing in and out from the shared layout."""

from __future__ import annotations

from django.urls import reverse

from tests.helpers import html_tree


def test_it_offers_sign_in_to_anonymous_visitors(client, project):
    page = html_tree(client.get(reverse("specs:spec-list", kwargs={"project_slug": "cinder"})).content)

    header = page.find("header", class_="site-header")
    link = [a for a in header.find_all("a") if a.text.strip() == "Sign in"]
    assert link, "no sign-in link in the header"
    assert link[0].attrs["href"] == f"{reverse('login')}?next=/p/cinder/"
    assert "Sign out" not in header.text


def test_it_shows_the_signed_in_user_and_a_sign_out_button(alice_client, project):
    page = html_tree(alice_client.get(reverse("specs:project-list")).content)

    header = page.find("header", class_="site-header")
    assert "alice" in header.find("span", class_="account__name").text
    form = header.find("form", class_="account__signout")
    assert form.attrs["method"] == "post"
    assert form.attrs["action"] == reverse("logout")
    assert form.find("input", name="csrfmiddlewaretoken") is not None
    assert form.find("button").text.strip() == "Sign out"


def test_it_renders_the_login_page_with_labelled_fields(client, db):
    response = client.get(reverse("login"))

    page = html_tree(response.content)
    assert response.status_code == 200
    for name in ("username", "password"):
        field = page.find("input", name=name)
        assert page.find("label", **{"for": field.attrs["id"]}) is not None


def test_it_signs_in_and_returns_to_the_page_asked_for(client, alice, password, project):
    response = client.post(
        reverse("login"), {"username": "alice", "password": password, "next": "/p/cinder/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/p/cinder/"
    assert "alice" in client.get("/p/cinder/").content.decode()


def test_it_explains_a_failed_sign_in(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_signs_out_with_post(alice_client, project):
    response = alice_client.post(reverse("logout"))

    assert response.status_code == 302
    assert "Sign in" in alice_client.get(reverse("specs:project-list")).content.decode()


def test_it_shows_messages_from_the_session(alice_client, project):
    response = alice_client.post(
        reverse("specs:spec-create", kwargs={"project_slug": "cinder"}),
        {
            "title": "Quiet backups",
            "blueprint_url": "https://blueprints.launchpad.net/cinder/+spec/quiet-backups",
            "release": "2026.1",
        },
        follow=True,
    )

    message = html_tree(response.content).find("p", class_="message--success")
    assert message is not None and "Quiet backups" in message.text
