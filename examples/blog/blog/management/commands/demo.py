"""``manage.py demo``: create the schema, load the sample fixture, run typical queries."""
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from blog.models import Event, Post, Tag


class Command(BaseCommand):
    help = "Create the schema, load the sample fixture and print the results of typical queries."

    def handle(self, *args, **options):
        call_command("syncdb", verbosity=0, interactive=False)
        with transaction.atomic():
            # Start from a clean slate so the demo can run again and again.
            Event.objects.all().delete()
            Post.objects.all().delete()
            Tag.objects.all().delete()
            User.objects.filter(username__in=["ada", "grace"]).delete()
            call_command("loaddata", "blog_sample", verbosity=0)
            ada = User.objects.get(username="ada")
            ada.set_password("analytical-engine")
            ada.save(update_fields=["password"])
            posts = {post.slug: post for post in Post.objects.all()}
            Event.objects.bulk_create(
                Event(name="page_view", post=posts[slug], payload={"referrer": referrer})
                for slug, referrer in [
                    ("hello-world", "search"), ("multiple-databases", "search"),
                    ("multiple-databases", "mail"), ("routers-explained", "search"),
                ]
            )

        out = self.stdout.write
        out(f"{User.objects.count()} users, {Post.objects.count()} posts, "
            f"{Tag.objects.count()} tags, {Event.objects.count()} events")

        out("Published, newest first (authors joined in the same query):")
        published = Post.objects.filter(status=Post.PUBLISHED).select_related("author").prefetch_related("tags")
        for post in published:
            tags = ", ".join(tag.name for tag in post.tags.all())
            out(f"  {post.published_at:%Y-%m-%d}  {post.title} by {post.author.first_name} "
                f"({post.views} views; {tags})")

        popular = Post.objects.filter(Q(views__gte=100) | Q(author__username="grace"))
        out("Popular or by grace: " + ", ".join(sorted(popular.values_list("slug", flat=True))))

        Post.objects.filter(slug="hello-world").update(views=F("views") + 1)
        out(f"hello-world now has {Post.objects.get(slug='hello-world').views} views")

        for user in User.objects.annotate(n_posts=Count("posts"), n_views=Sum("posts__views")).order_by("username"):
            out(f"  {user.username}: {user.n_posts} posts, {user.n_views} views")
        for tag in Tag.objects.annotate(n_posts=Count("posts")).order_by("-n_posts", "name"):
            out(f"  #{tag.name}: {tag.n_posts} posts")

        from_search = Event.objects.filter(payload__referrer="search", post__tags__name="databases").count()
        out(f"Page views of #databases posts referred by search: {from_search}")

        out("ada logs in with the right password: %s" % bool(authenticate(username="ada", password="analytical-engine")))
        out("... and with a wrong one: %s" % bool(authenticate(username="ada", password="babbage")))
        self.stdout.write(self.style.SUCCESS("Demo finished."))
