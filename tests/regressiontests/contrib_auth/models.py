from django.contrib.auth.models import User
from django.db import models


class Profile(models.Model):
    """The site profile of the baseline era's AUTH_PROFILE_MODULE."""

    user = models.OneToOneField(User, models.CASCADE)
    bio = models.CharField(max_length=100, blank=True)


class Document(models.Model):
    title = models.CharField(max_length=20)

    class Meta:
        permissions = [("publish_document", "Can publish document")]
