from django.db import models


class TimeStamped(models.Model):
    created = models.DateField(null=True)
    tag = models.CharField(max_length=10, default="t")

    objects = models.Manager()

    class Meta:
        abstract = True
        ordering = ["-created"]


class Post(TimeStamped):
    title = models.CharField(max_length=50, verbose_name="post title")

    class Meta(TimeStamped.Meta):
        verbose_name_plural = "the posts"
        get_latest_by = "created"


class Comment(TimeStamped):
    body = models.TextField()
    tag = None  # removes the inherited field


class Animal(models.Model):
    name = models.CharField(max_length=20)
    sound = models.CharField(max_length=20, default="...")

    class Meta:
        ordering = ["name"]


class LoudManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(sound__endswith="!")


class Dog(Animal):
    loud = LoudManager()

    class Meta:
        proxy = True

    def bark(self):
        return "%s says woof" % self.name


class OrderedDog(Dog):
    class Meta:
        proxy = True
        ordering = ["-name"]


class Custom(models.Model):
    code = models.CharField(max_length=5, primary_key=True, db_column="CODE")
    amount = models.IntegerField()

    class Meta:
        db_table = "meta_custom_table"
        verbose_name = "custom thing"
        unique_together = ("code", "amount")
