from django.db import models


class Question(models.Model):
    text = models.CharField(max_length=100)

    def __str__(self):
        return self.text


class Answer(models.Model):
    question = models.ForeignKey(Question, models.CASCADE)
    text = models.CharField(max_length=100)

    class Meta:
        order_with_respect_to = "question"

    def __str__(self):
        return self.text


class Step(models.Model):
    """Ordered with respect to a model declared after it (a lazy relation)."""

    recipe = models.ForeignKey("Recipe", models.CASCADE, related_name="steps")
    text = models.CharField(max_length=100)

    class Meta:
        order_with_respect_to = "recipe"


class Recipe(models.Model):
    name = models.CharField(max_length=100)


class ShortAnswer(Answer):
    class Meta:
        proxy = True
