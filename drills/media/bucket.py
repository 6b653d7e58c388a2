"""Media in an S3-compatible bucket whose objects are never public.

Every object is written with a private ACL, so the bucket serves nothing without a signature:
a draft's file cannot be fetched by guessing or keeping its name. Pages and the API link to the
app's media view (`MEDIA_URL`, `drills.media.views.serve_media`), which checks that the file may
be seen, as it does for local files, and then redirects to a short-lived signed URL of the
bucket (or, for a public file, to the CDN in `custom_domain`). Those links are stable, so
published documents and kept answers that hold them never go stale when a signature expires.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaBucketStorage(S3Storage):
    def get_default_settings(self):
        # Whatever the AWS_* Django settings say: a public-read object or an overwritten name
        # would break rule 1 (drafts never leak) or the year-long caching of stored names.
        return {
            **super().get_default_settings(),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        }

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The app's address of a stored file, as FileSystemStorage gives it."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))

    def signed_url(self, name, *, content_type, caching, public):
        """Where the bytes of `name` can be fetched for the next `querystring_expire` seconds.

        The bucket answers with the type and caching the app chose (it keeps no such headers
        of its own per object). A public file goes to the CDN when there is one.
        """
        if public and self.custom_domain:
            return super().url(name)
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket_name,
                "Key": name,
                "ResponseContentType": content_type,
                "ResponseCacheControl": caching,
                "ResponseContentDisposition": "inline",
            },
            ExpiresIn=self.querystring_expire,
        )
