from django.db import models


class Host(models.Model):
    name = models.CharField(max_length=50)
    ip = models.IPAddressField()


class OptionalHost(models.Model):
    ip = models.IPAddressField(null=True, blank=True)
