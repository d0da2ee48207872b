from django.db import models


class Car(models.Model):
    make = models.CharField(max_length=20)
    model = models.CharField(max_length=20, blank=True)


class Plain(models.Model):
    name = models.CharField(max_length=20)
