from django.apps import AppConfig


class OneConfig(AppConfig):
    name = __package__
    label = "fnd_ambiguous_one"


class TwoConfig(AppConfig):
    name = __package__
    label = "fnd_ambiguous_two"
