from django.db import models


def upload_by_owner(instance, filename):
    """A callable upload_to: the owner's name as the directory."""
    return "owners/%s/%s" % (instance.owner, filename)


class Dossier(models.Model):
    title = models.CharField(max_length=50, blank=True)
    attachment = models.FileField(upload_to="docs/%Y", blank=True)

    class Meta:
        ordering = ["id"]


class OwnedFile(models.Model):
    owner = models.CharField(max_length=20)
    data = models.FileField(upload_to=upload_by_owner, max_length=40)


class Photo(models.Model):
    # The dimension fields come first: they must be right although their
    # columns are written before the image's.
    width = models.IntegerField(null=True)
    height = models.IntegerField(null=True)
    image = models.ImageField(upload_to="photos", width_field="width", height_field="height")
