from .permissions import MATRIX, role_can


def merchant(request):
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "merchant": getattr(request, "merchant", None),
        "membership": membership,
        "can": {action: role_can(role, action) for action in MATRIX},
    }
