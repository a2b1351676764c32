"""telegram-lake AWS CDK app (Python): config, stack, components, post-deploy helper."""
