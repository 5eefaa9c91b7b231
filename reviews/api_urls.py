from django.urls import include, path

from . import apis

urlpatterns = [
    path("reviews/", apis.ReviewListApi.as_view(), name="review-list"),
    path("reviews/analyse/", apis.ReviewAnalyseApi.as_view(), name="review-analyse"),
    path("reviews/<int:review_id>/", apis.ReviewDetailApi.as_view(), name="review-detail"),
    path("review-topics/", apis.TopicListApi.as_view(), name="review-topic-list"),
    path(
        "review-topics/<int:topic_id>/", apis.TopicDetailApi.as_view(), name="review-topic-detail"
    ),
    path("review-insights/", apis.MerchantInsightsApi.as_view(), name="review-insights"),
    path(
        "products/<int:product_id>/review-insights/",
        apis.ProductInsightsApi.as_view(),
        name="product-review-insights",
    ),
    path("sentiment-models/", apis.SentimentModelListApi.as_view(), name="sentiment-model-list"),
    path("", include("reviews.llm.api_urls")),
]
