from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=50)

    class Meta:
        verbose_name = "news article"


class ProxyArticle(Article):
    class Meta:
        proxy = True


class Author(models.Model):
    name = models.CharField(max_length=50)
