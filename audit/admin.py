"""Staff read the audit trail here; nobody adds, changes or deletes an event."""
from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created", "action", "subject", "actor", "actor_ip")
    list_filter = ("action", "created")
    search_fields = ("subject", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "created"
    fields = ("created", "action", "subject", "actor", "actor_ip", "detail")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
