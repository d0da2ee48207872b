"""``manage.py demo``: create the schema, load sample data, run typical queries."""
import datetime

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from blog.models import Event, Post

SAMPLE_POSTS = [
    ("Hello, world", "hello-world", "ada", Post.PUBLISHED, 120),
    ("Multiple databases", "multiple-databases", "ada", Post.PUBLISHED, 340),
    ("Routers explained", "routers-explained", "grace", Post.PUBLISHED, 75),
    ("Sharding notes", "sharding-notes", "grace", Post.DRAFT, 0),
]


class Command(BaseCommand):
    help = "Create the schema, load sample data and print the results of typical queries."

    def handle(self, *args, **options):
        call_command("syncdb", verbosity=0, interactive=False)
        with transaction.atomic():
            Event.objects.all().delete()
            Post.objects.all().delete()
            start = timezone.now() - datetime.timedelta(days=10)
            for day, (title, slug, author, status, views) in enumerate(SAMPLE_POSTS):
                published = start + datetime.timedelta(days=day) if status == Post.PUBLISHED else None
                Post.objects.create(
                    title=title, slug=slug, author=author, status=status,
                    views=views, published_at=published,
                )
            Event.objects.bulk_create(
                Event(name="page_view", payload={"slug": slug, "referrer": ref})
                for slug, ref in [
                    ("hello-world", "search"), ("multiple-databases", "search"),
                    ("multiple-databases", "mail"), ("routers-explained", "search"),
                ]
            )

        out = self.stdout.write
        out(f"{Post.objects.count()} posts, {Event.objects.count()} events")
        out("Published, newest first:")
        for post in Post.objects.filter(status=Post.PUBLISHED):
            out(f"  {post.published_at:%Y-%m-%d}  {post.title} ({post.get_status_display()}, {post.views} views)")
        popular = Post.objects.filter(Q(views__gte=100) | Q(author="grace")).values_list("slug", flat=True)
        out("Popular or by grace: " + ", ".join(sorted(popular)))
        Post.objects.filter(slug="hello-world").update(views=F("views") + 1)
        out(f"hello-world now has {Post.objects.get(slug='hello-world').views} views")
        for row in Post.objects.values("author").annotate(posts=Count("id"), views=Sum("views")).order_by("author"):
            out(f"  author {row['author']}: {row['posts']} posts, {row['views']} views")
        from_search = Event.objects.filter(payload__referrer="search").count()
        out(f"Page views referred by search: {from_search}")
        self.stdout.write(self.style.SUCCESS("Demo finished."))
