from django.apps import AppConfig


class FirstConfig(AppConfig):
    name = __package__
    label = "fnd_two_first"


class SecondConfig(AppConfig):
    default = True
    name = __package__
    label = "fnd_two_default"
