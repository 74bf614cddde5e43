"""``recompute_attention`` gives existing specs their set; ``seed_demo``'s spec waits for its author."""

from io import StringIO

from django.core.management import call_command

from specs_app.models import Attention, Spec


def test_the_demo_spec_waits_for_its_author_after_a_minus_one(db):
    call_command("seed_demo", stdout=StringIO())
    spec = Spec.objects.get(slug="capacity-headroom")
    assert list(spec.attention.values_list("user__username", "reason")) == [("demo", "-1 from reviewer")]
    # A second run changes nothing.
    call_command("seed_demo", stdout=StringIO())
    assert spec.attention.count() == 1


def test_recompute_gives_every_spec_its_set_and_keeps_handed_turns(core, in_review, alice, bob):
    from specs_app.review import attention

    attention.hand_turn(actor=alice, spec=in_review, to_user=bob)
    Attention.objects.filter(user=core).delete()
    out = StringIO()
    call_command("recompute_attention", stdout=out)
    assert "1 spec." in out.getvalue()
    assert set(in_review.attention.values_list("user__username", flat=True)) == {"dave", "bob"}


def test_recompute_takes_one_project_only(core, in_review):
    Attention.objects.all().delete()
    call_command("recompute_attention", "--project", "nova", stdout=StringIO())
    assert not Attention.objects.exists()
    call_command("recompute_attention", "--project", "cinder", stdout=StringIO())
    assert Attention.objects.get().user == core
