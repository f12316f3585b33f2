"""People, their roles, and partner organisations with memberships that keep their history."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    CANDIDATE = "candidate", "Candidate (consultant)"
    PARTNER_MANAGER = "partner_manager", "Partner manager"
    GRADER = "grader", "Grader"
    PROGRAMME_ADMIN = "programme_admin", "Programme admin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=Role.PROGRAMME_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with one primary role. Email is the login.

    Programme admins are ``is_staff`` (Django admin). Partner managers manage the firms where
    they hold an active ``manager`` membership; consultants belong to firms as ``consultant``.
    """

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CANDIDATE)
    region = models.CharField(max_length=64, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_programme_admin(self) -> bool:
        return self.role == Role.PROGRAMME_ADMIN or self.is_superuser

    @property
    def is_grader(self) -> bool:
        return self.role == Role.GRADER or self.is_programme_admin


class PartnerOrganisation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    region = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """One period of a person's membership of a firm. Leaving sets ``left_at``; rows are never
    deleted, so headcount over time and "who was in the firm when" stay answerable."""

    class Kind(models.TextChoices):
        CONSULTANT = "consultant", "Consultant"
        MANAGER = "manager", "Manager"

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONSULTANT)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "kind"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("joined_at")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation} ({self.kind})"

    @property
    def is_active(self) -> bool:
        return self.left_at is None
