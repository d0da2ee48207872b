from django.contrib.contenttypes import generic
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TaggedItem(models.Model):
    tag = models.SlugField()
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    object_id = models.PositiveIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["tag", "pk"]

    def __str__(self):
        return self.tag


class Comment(models.Model):
    """A generic relation with other field names, through the old path."""

    text = models.CharField(max_length=50)
    target_type = models.ForeignKey(ContentType, models.CASCADE, null=True)
    target_pk = models.CharField(max_length=20, null=True)
    target = generic.GenericForeignKey("target_type", "target_pk")


class Bookmark(models.Model):
    url = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem, related_query_name="bookmark")
    comments = generic.GenericRelation(Comment, object_id_field="target_pk",
                                       content_type_field="target_type")

    def __str__(self):
        return self.url


class ProxyBookmark(Bookmark):
    class Meta:
        proxy = True


class Note(models.Model):
    text = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem)

    def __str__(self):
        return self.text


class Plain(models.Model):
    """A model without a GenericRelation: tags pointing here stay."""

    name = models.CharField(max_length=20)
