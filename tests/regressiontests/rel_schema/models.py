"""Schema of relations: FK columns and constraints, M2M tables, cycles."""
from django.db import models


class Team(models.Model):
    name = models.CharField(max_length=20)
    # A cycle: Team -> Player -> Team.
    captain = models.ForeignKey("Player", models.SET_NULL, null=True, related_name="captained")


class Player(models.Model):
    team = models.ForeignKey(Team, models.CASCADE)
    number = models.SmallIntegerField()
    loose = models.ForeignKey(Team, models.DO_NOTHING, null=True, db_constraint=False, related_name="+")
    mates = models.ManyToManyField("self")
