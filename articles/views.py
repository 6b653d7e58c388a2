# Placeholder pages until the public site lands (issue 4).
from django.http import HttpResponse


def home(request):
    return HttpResponse("runcms")


def article_detail(request, slug):
    return HttpResponse(slug)


def drill_detail(request, slug):
    return HttpResponse(slug)


def program_detail(request, slug):
    return HttpResponse(slug)
