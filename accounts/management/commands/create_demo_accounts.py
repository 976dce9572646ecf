from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ACCOUNTS, demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo candidate and instructor (for local use only) and print their logins."

    def handle(self, *args, **options):
        created = demo_accounts_ensure()
        self.stdout.write("Demo accounts (local use only):")
        for account in DEMO_ACCOUNTS:
            state = "created" if account["username"] in created else "already there"
            self.stdout.write(
                f"  {account['role']:<10} username {account['username']:<10} "
                f"password {account['password']}  ({state})"
            )
