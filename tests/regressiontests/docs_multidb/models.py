"""The models of docs/topics/db/multi-db.txt."""
from django.db import models


class Entry(models.Model):
    headline = models.CharField(max_length=100)


# -- Helper E: "Related objects follow their instance" ----------------------
class Comment(models.Model):
    entry = models.ForeignKey(Entry, models.CASCADE, related_name="comments")
    text = models.CharField(max_length=100)


class Label(models.Model):
    name = models.CharField(max_length=30)
    entries = models.ManyToManyField(Entry, related_name="labels")


# -- Helper F: "What is refused, and adoption" ---------------------------------
class Writer(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Draft(models.Model):
    title = models.CharField(max_length=100)
    writer = models.ForeignKey(Writer, models.SET_NULL, null=True, related_name="drafts")
    reviewers = models.ManyToManyField(Writer, related_name="reviewed")

    def __str__(self):
        return self.title


# -- "Rows that point to another database": the page's model, verbatim --------
class Note(models.Model):
    # Notes live on 'other', users on 'default'.
    author = models.ForeignKey("auth.User", models.CASCADE, db_constraint=False)
