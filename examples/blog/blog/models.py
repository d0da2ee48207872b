"""Models of the example blog: posts by users, tags, and analytics events."""
from django.contrib.auth.models import User
from django.db import models


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Post(models.Model):
    DRAFT = "draft"
    PUBLISHED = "published"
    STATUS_CHOICES = [(DRAFT, "Draft"), (PUBLISHED, "Published")]

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="posts")
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    views = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "title"]
        indexes = [models.Index(fields=["status", "published_at"], name="post_status_pub_idx")]

    def __str__(self):
        return self.title


class Event(models.Model):
    """An analytics event about a post; the payload is free-form JSON."""

    name = models.CharField(max_length=50, db_index=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events", null=True)
    payload = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.name} at {self.created:%Y-%m-%d %H:%M}"
