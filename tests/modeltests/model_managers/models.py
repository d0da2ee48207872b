from django.db import models


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def titled(self, prefix):
        return self.filter(title__startswith=prefix)

    def _private(self):
        return "private"

    def public_but_queryset_only(self):
        return "qs"

    public_but_queryset_only.queryset_only = True


class BookManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(archived=False)

    def count_published(self):
        return self.get_queryset().filter(published=True).count()


class Book(models.Model):
    title = models.CharField(max_length=30)
    published = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)

    all_books = models.Manager()
    current = BookManager()
    with_qs = models.Manager.from_queryset(PublishedQuerySet)()
    as_mgr = PublishedQuerySet.as_manager()


class AbstractWithManager(models.Model):
    live = BookManager()

    class Meta:
        abstract = True


class Magazine(AbstractWithManager):
    title = models.CharField(max_length=30)
    published = models.BooleanField(default=True)
    archived = models.BooleanField(default=False)
