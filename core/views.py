from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """Liveness probe for load balancers; touches nothing but the process itself."""
    return JsonResponse({"status": "ok"})
