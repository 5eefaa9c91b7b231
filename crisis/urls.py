from django.http import HttpResponse
from django.urls import path

# Scaffold only: the pages helper replaces this file.
urlpatterns = [path("", lambda request: HttpResponse(""), name="crisis-board")]
