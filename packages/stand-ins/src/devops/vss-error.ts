/**
 * Azure DevOps answers errors with a "WrappedException" body (facts §5). The emulator throws VssError from its
 * rules and the HTTP layer serialises it, so every failure has the shape clients parse.
 */
export interface VssErrorBody {
  $id: string;
  innerException: null;
  message: string;
  typeName: string;
  typeKey: string;
  errorCode: number;
  eventId: number;
}

export class VssError extends Error {
  constructor(
    readonly status: number,
    readonly typeKey: string,
    message: string,
    readonly eventId = 3000,
    readonly typeName = `Microsoft.VisualStudio.Services.ServiceEndpoints.WebApi.${typeKey}, Microsoft.VisualStudio.Services.ServiceEndpoints.WebApi`,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'VssError';
  }

  body(): VssErrorBody {
    return {
      $id: '1',
      innerException: null,
      message: this.message,
      typeName: this.typeName,
      typeKey: this.typeKey,
      errorCode: 0,
      eventId: this.eventId,
    };
  }
}

/** Plain .NET argument errors carry eventId 0 and the mscorlib type name, as the real service shows them. */
export function argumentError(message: string): VssError {
  return new VssError(400, 'ArgumentException', message, 0, 'System.ArgumentException, mscorlib');
}

export function argumentNullError(parameter: string): VssError {
  return new VssError(400, 'ArgumentNullException', `Value cannot be null.\r\nParameter name: ${parameter}`, 0,
    'System.ArgumentNullException, mscorlib');
}

export function endpointNotFound(id: string): VssError {
  return new VssError(404, 'ServiceEndpointNotFoundException', `Service connection with id ${id} does not exist.`);
}

export function projectNotFound(project: string): VssError {
  // facts §5: VS800075 comes back as 400 (terraform-provider treats it as not found).
  return new VssError(400, 'ProjectDoesNotExistWithNameException',
    `VS800075: The project with id '${project}' does not exist, or you do not have permission to access it.`);
}

export function duplicateName(name: string): VssError {
  return new VssError(409, 'DuplicateServiceConnectionException',
    `Service connection with name ${name} already exists. Only a user having Administrator/User role permissions on service connection ${name} can see it.`);
}

export function serviceEndpointError(message: string, status = 400): VssError {
  return new VssError(status, 'ServiceEndpointException', message);
}
